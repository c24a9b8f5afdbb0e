import { describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { stages } from '../../src/stages/index.ts';
import { paramsTable } from '../../src/docs/params-table.ts';

const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  test.each(stages.map((stage) => [stage.id, stage] as const))('documents every param of %s as its schema says', (id, stage) => {
    expect(readme).toContain(`### \`${id}\`\n\n${paramsTable(stage as never)}\n`);
  });
});
