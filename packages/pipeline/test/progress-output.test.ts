/** End to end: stages that report progress, run by the engine, print labelled progress lines off a terminal. */
import { describe, expect, test } from '@jest/globals';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { consoleProgress } from '../src/runner/console-progress.ts';
import { runPipeline } from '../src/runner/run-pipeline.ts';
import { loadPipeline } from '../src/spec/load-pipeline.ts';
import { workspace } from './helpers.ts';

const fixture = join(fileURLToPath(import.meta.url), '..', 'fixtures', 'progress-stage.ts');

describe('progress output of a run', () => {
  test('two stages at once (--jobs 2) off a terminal: each prints its own labelled lines, from its first step to its last, before its result', async () => {
    const dir = workspace({
      'pipeline.yaml': 'name: progress\nstages:\n  a:\n    uses: ./progress-stage.ts\n  b:\n    uses: ./progress-stage.ts\n    with: { steps: 4 }\n',
    });
    copyFileSync(fixture, join(dir, 'progress-stage.ts'));
    let text = '';
    const stream = new Writable({ write(chunk, _e, done) { text += String(chunk); done(); } });
    const pipeline = await loadPipeline(join(dir, 'pipeline.yaml'));
    const result = await runPipeline(pipeline, { jobs: 2, storeRoot: join(dir, 'store'), observers: [consoleProgress({ stream, progressIntervalMs: 300 })] });
    expect({ status: result.status, text }).toMatchObject({ status: 'succeeded' });
    const lines = text.trimEnd().split('\n');
    for (const [stage, steps] of [['a', 6], ['b', 4]] as const) {
      const own = lines.filter((line) => line.startsWith(`[${stage}] `));
      expect(own[0]).toBe(`[${stage}] step 1/${steps} (${Math.floor(100 / steps)}%) loss 1.000 1,234 tok/s`);
      expect(own.at(-1)).toBe(`[${stage}] step ${steps}/${steps} (100%) loss ${(1 / steps).toFixed(3)} 1,234 tok/s`);
      for (const line of own) expect(line).toMatch(new RegExp(`^\\[${stage}\\] step \\d/${steps} \\(\\d+%\\) loss \\d\\.\\d{3} 1,234 tok/s( ETA \\S+)?$`));
      expect(lines.indexOf(own.at(-1)!)).toBeLessThan(lines.findIndex((line) => line.startsWith(`✔ [${stage}] ran`)));
    }
    expect(lines.at(-1)).toBe(`run ${result.runId} succeeded (2 ran)`);
  });
});
