import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { optionsTable } from '@tunekit/strategies';
import { stages } from '../src/stages/index.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README params tables are generated from the stage schemas', () => {
  test.each(stages.map((s) => [s.id, s] as const))('%s', (_id, stage) => {
    expect(readme).toContain(optionsTable(stage.params));
  });
});
