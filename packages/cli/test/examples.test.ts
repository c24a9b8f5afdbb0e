/** The shipped examples run: examples/plugins/all-kinds.yaml (every plugin kind) and pipelines/hello.yaml. */
import { describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastJson, readText, statuses, tempDir, tunekit } from './helpers.ts';

const root = join(fileURLToPath(import.meta.url), '..', '..', '..', '..');

describe('examples', () => {
  test('all-kinds.yaml: local module, npm package and command stages produce the expected artifacts', async () => {
    const store = tempDir('tunekit-examples-');
    const result = await tunekit(['run', 'examples/plugins/all-kinds.yaml', '--json'], { cwd: root, store });
    const run = lastJson(result);
    expect(result.code).toBe(0);
    expect(statuses(run)).toEqual({
      'greet[name=Ada]': 'ran',
      'greet[name=Grace]': 'ran',
      'shout[name=Ada]': 'ran',
      'shout[name=Grace]': 'ran',
      count: 'ran',
      report: 'ran',
    });
    expect(readText(join(run.stages['shout[name=Grace]']!.outputs.text!.path, 'text.txt'))).toBe('HELLO, GRACE! HELLO, GRACE!\n');
    const counts = JSON.parse(readText(join(run.stages.count!.outputs.counts!.path, 'metrics.json')));
    expect(counts).toEqual({ total: 4, counts: { hello: 2, ada: 2 } });
    expect(readText(join(run.stages.report!.outputs.report!.path, 'report.md'))).toBe(
      '# Everyone shouted\n\n- shout[name=Ada] ({"name":"Ada"}): HELLO, ADA! HELLO, ADA!\n- shout[name=Grace] ({"name":"Grace"}): HELLO, GRACE! HELLO, GRACE!\n',
    );
  });

  test('pipelines/hello.yaml runs by name, then is fully cached', async () => {
    const store = tempDir('tunekit-examples-');
    const first = lastJson(await tunekit(['run', 'hello', '--json'], { cwd: root, store }));
    expect(first.status).toBe('succeeded');
    expect(Object.keys(first.stages)).toHaveLength(7);
    const second = lastJson(await tunekit(['run', 'hello', '--json'], { cwd: root, store }));
    expect(new Set(Object.values(statuses(second)))).toEqual(new Set(['cached']));
  });
});
