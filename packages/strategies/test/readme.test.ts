import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { getStrategy, optionsTable } from '../src/index.ts';
import { stages } from '../src/stages/index.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README options tables are generated from the config schemas', () => {
  test.each(['full', 'partial', 'adapter', 'lora'])('%s', (name) => {
    expect(readme).toContain(optionsTable(getStrategy(name).configSchema));
  });

  test('strategies/apply', () => {
    expect(readme).toContain(optionsTable(stages.find((s) => s.id === 'strategies/apply')!.params));
  });
});
