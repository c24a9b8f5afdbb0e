/** Two `tunekit run` on the same store at once: both succeed (one waits for the other's stages); the store verifies clean. */
import { describe, expect, test } from '@jest/globals';
import { fixtureWorkspace, lastJson, statuses, tunekit } from './helpers.ts';

describe('concurrent runs on one store', () => {
  test('both succeed with the same outputs and cache verify finds nothing corrupt', async () => {
    const ws = fixtureWorkspace({
      'pipeline.yaml': `stages:
  slow:
    uses: ./plugins/sleep.ts
    with: { ms: 600 }
  a:
    uses: ./plugins/write.ts
    with: { text: shared }
  b:
    uses: ./plugins/upper.ts
    inputs: { src: a.out }
`,
    });
    const [one, two] = await Promise.all([
      tunekit(['run', 'pipeline.yaml', '--json'], { cwd: ws.dir, store: ws.store }),
      tunekit(['run', 'pipeline.yaml', '--json'], { cwd: ws.dir, store: ws.store }),
    ]);
    expect([one.code, two.code]).toEqual([0, 0]);
    const [r1, r2] = [lastJson(one), lastJson(two)];
    for (const id of ['slow', 'a', 'b']) {
      expect(r1.stages[id]!.outputs).toEqual(r2.stages[id]!.outputs);
      // each stage was computed once: whoever waited for the lock found the other's entry
      expect([r1.stages[id]!.status, r2.stages[id]!.status].sort()).toEqual(['cached', 'ran']);
    }
    const verify = await tunekit(['cache', 'verify'], { cwd: ws.dir, store: ws.store });
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('verified 3 entries: 0 corrupt');
    expect(statuses(r1)).toBeDefined();
  });
});
