/**
 * Runner overhead: N no-op stages as a chain (each consumes the previous) and as a fan-out
 * (one root, N-1 consumers), cold (every stage in its own process) and fully cached.
 * Usage: node --import tsx bench/runner-overhead.ts [--stages 500] [--jobs 2] [--shapes chain,fanout]
 * Runs the real CLI (`packages/cli/bin/tunekit.js run --json`) on generated pipelines in a temp
 * directory with its own store; prints one line per measurement and a JSON summary last.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { stages: { type: 'string', default: '500' }, jobs: { type: 'string', default: '2' }, shapes: { type: 'string', default: 'chain,fanout' } } });
const n = Number(values.stages);
const here = fileURLToPath(new URL('.', import.meta.url));
const bin = join(here, '..', 'packages', 'cli', 'bin', 'tunekit.js');

function pipeline(shape: string): string {
  const lines = [`name: overhead-${shape}`, 'stages:', '  s0:', '    uses: ./noop.ts', '    with: { i: 0 }'];
  for (let i = 1; i < n; i++) {
    const prev = shape === 'chain' ? `s${i - 1}` : 's0';
    lines.push(`  s${i}:`, '    uses: ./noop.ts', `    with: { i: ${i} }`, `    inputs: { prev: ${prev}.out }`);
  }
  return lines.join('\n') + '\n';
}

function run(dir: string, file: string): { seconds: number; statuses: Record<string, number> } {
  const start = performance.now();
  const out = execFileSync(process.execPath, [bin, 'run', file, '--json', '--jobs', values.jobs!, '--no-tracking'], {
    cwd: dir,
    env: { ...process.env, TUNEKIT_HOME: join(dir, 'store'), CI: '1' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - start) / 1000;
  const result = JSON.parse(out.trim().split('\n').at(-1)!) as { stages: Record<string, { status: string }> };
  const statuses: Record<string, number> = {};
  for (const stage of Object.values(result.stages)) statuses[stage.status] = (statuses[stage.status] ?? 0) + 1;
  return { seconds, statuses };
}

const summary: Record<string, unknown> = { stages: n, jobs: Number(values.jobs) };
for (const shape of values.shapes!.split(',')) {
  const dir = mkdtempSync(join(tmpdir(), `tunekit-overhead-${shape}-`));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  cpSync(join(here, 'runner-overhead', 'noop.ts'), join(dir, 'noop.ts'));
  writeFileSync(join(dir, 'pipeline.yaml'), pipeline(shape));
  const cold = run(dir, 'pipeline.yaml');
  console.log(`${shape} cold:   ${cold.seconds.toFixed(1)} s  (${(cold.seconds / n * 1000).toFixed(0)} ms/stage)  ${JSON.stringify(cold.statuses)}`);
  const cached = run(dir, 'pipeline.yaml');
  console.log(`${shape} cached: ${cached.seconds.toFixed(2)} s  (${(cached.seconds / n * 1000).toFixed(1)} ms/stage)  ${JSON.stringify(cached.statuses)}`);
  summary[shape] = { cold_s: Number(cold.seconds.toFixed(2)), cached_s: Number(cached.seconds.toFixed(2)), cold_ms_per_stage: Math.round((cold.seconds / n) * 1000), cached_ms_per_stage: Number(((cached.seconds / n) * 1000).toFixed(2)) };
  rmSync(dir, { recursive: true, force: true });
}
console.log(JSON.stringify(summary));
