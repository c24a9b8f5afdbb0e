/** `uses: <package>/<stage>` resolves when the engine runs in-process, e.g. inside a Jest test (whose createRequire differs from Node's). */
import { describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { loadPipeline } from '../src/spec/load-pipeline.ts';
import { workspace } from './helpers.ts';

const stagesModule = `export const stages = [{ id: 'tunekit-plugin-probe/echo', version: '1', description: 'echo', params: { type: 'object' }, inputs: {}, outputs: { out: { kind: 'text' } }, async run() {} }];\n`;

describe('package plugins in-process', () => {
  test('a package in the pipeline directory\'s node_modules is found through its "./stages" export', async () => {
    const dir = workspace({
      'node_modules/tunekit-plugin-probe/package.json': JSON.stringify({ name: 'tunekit-plugin-probe', version: '1.2.3', type: 'module', exports: { './stages': './stages.js' } }),
      'node_modules/tunekit-plugin-probe/stages.js': stagesModule,
      'pipeline.yaml': 'stages:\n  echo:\n    uses: tunekit-plugin-probe/echo\n',
    });
    const pipeline = await loadPipeline(join(dir, 'pipeline.yaml'));
    const echo = pipeline.stages.find((stage) => stage.id === 'echo')!;
    expect(echo.plugin.definition.id).toBe('tunekit-plugin-probe/echo');
    expect(echo.plugin.package).toEqual({ name: 'tunekit-plugin-probe', version: '1.2.3' });
  });
});
