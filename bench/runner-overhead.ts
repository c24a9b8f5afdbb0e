/**
 * Runner overhead: N no-op stages as a chain (each consumes the previous) and as a fan-out
 * (one root, N-1 consumers), cold (nothing cached) with warm workers (the default) and with a new
 * process per stage (`TUNEKIT_WARM_WORKERS=0`), each in a fresh store, one after the other for each
 * shape (same minutes, same load), then fully cached.
 * Usage: node --import tsx bench/runner-overhead.ts [--stages 500] [--jobs 2] [--shapes chain,fanout] [--modes warm,process]
 * Runs the real CLI (`packages/cli/bin/tunekit.js run --json`) on generated pipelines in a temp
 * directory with its own store; prints one line per measurement and a JSON summary last.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { stages: { type: 'string', default: '500' }, jobs: { type: 'string', default: '2' }, shapes: { type: 'string', default: 'chain,fanout' }, modes: { type: 'string', default: 'warm,process' } } });
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

/**
 * CPU seconds (user + system) of this process's finished children and their waited-for descendants
 * (the CLI and its stage processes): /proc/self/stat cutime + cstime, in clock ticks (100 a second
 * on Linux). On a shared machine it says what a run costs, whatever share of the cores it got.
 */
function childrenCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** `warm`: stages in the warm worker pool; `process`: a new process per stage (TUNEKIT_WARM_WORKERS=0). */
function run(dir: string, file: string, mode: string, store: string): { seconds: number; cpu: number; statuses: Record<string, number> } {
  const start = performance.now();
  const cpuBefore = childrenCpuSeconds();
  const out = execFileSync(process.execPath, [bin, 'run', file, '--json', '--jobs', values.jobs!, '--no-tracking'], {
    cwd: dir,
    env: { ...process.env, TUNEKIT_HOME: join(dir, store), CI: '1', TUNEKIT_WARM_WORKERS: mode === 'process' ? '0' : '1' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - start) / 1000;
  const cpu = childrenCpuSeconds() - cpuBefore;
  const result = JSON.parse(out.trim().split('\n').at(-1)!) as { stages: Record<string, { status: string }> };
  const statuses: Record<string, number> = {};
  for (const stage of Object.values(result.stages)) statuses[stage.status] = (statuses[stage.status] ?? 0) + 1;
  return { seconds, cpu, statuses };
}

const summary: Record<string, unknown> = { stages: n, jobs: Number(values.jobs) };
for (const shape of values.shapes!.split(',')) {
  const dir = mkdtempSync(join(tmpdir(), `tunekit-overhead-${shape}-`));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  cpSync(join(here, 'runner-overhead', 'noop.ts'), join(dir, 'noop.ts'));
  writeFileSync(join(dir, 'pipeline.yaml'), pipeline(shape));
  const row: Record<string, number> = {};
  for (const mode of values.modes!.split(',')) {
    const cold = run(dir, 'pipeline.yaml', mode, `store-${mode}`);
    console.log(`${shape} cold ${mode}: ${cold.seconds.toFixed(1)} s  (${(cold.seconds / n * 1000).toFixed(0)} ms/stage)  CPU ${cold.cpu.toFixed(1)} s (${(cold.cpu / n * 1000).toFixed(0)} ms/stage)  ${JSON.stringify(cold.statuses)}  ${new Date().toISOString()}`);
    row[`cold_${mode}_s`] = Number(cold.seconds.toFixed(2));
    row[`cold_${mode}_ms_per_stage`] = Math.round((cold.seconds / n) * 1000);
    row[`cold_${mode}_cpu_s`] = Number(cold.cpu.toFixed(2));
  }
  const mode = values.modes!.split(',')[0]!;
  const cached = run(dir, 'pipeline.yaml', mode, `store-${mode}`);
  console.log(`${shape} cached: ${cached.seconds.toFixed(2)} s  (${(cached.seconds / n * 1000).toFixed(1)} ms/stage)  ${JSON.stringify(cached.statuses)}`);
  summary[shape] = { ...row, cached_s: Number(cached.seconds.toFixed(2)), cached_ms_per_stage: Number(((cached.seconds / n) * 1000).toFixed(2)) };
  rmSync(dir, { recursive: true, force: true });
}
console.log(JSON.stringify(summary));
