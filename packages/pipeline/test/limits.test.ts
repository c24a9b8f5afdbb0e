/**
 * Hostile pipeline files (issue 18, findings 3 and 4): YAML that used to skip validation, and
 * limits that are data, checked before the work they bound. Every rejection is a PipelineError
 * (exit 2 in the CLI) at file:line:col.
 */
import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPipeline } from '../src/spec/load-pipeline.ts';
import { DEFAULT_LIMITS, resolveLimits } from '../src/spec/limits.ts';
import { isPipelineError } from '../src/spec/pipeline-error.ts';
import { load, loadErrors, workspace } from './helpers.ts';

const cmd = 'uses: command\n    run: [echo]\n    outputs: [out]';
const values = (n: number) => `[${Array.from({ length: n }, (_, i) => i).join(', ')}]`;

async function fileErrors(path: string, options = {}): Promise<string[]> {
  try {
    await loadPipeline(path, options);
  } catch (error) {
    if (!isPipelineError(error)) throw error;
    return error.issues.map((issue) => `${issue.location.replace(/^.*\//, '')}: ${issue.message}`);
  }
  throw new Error('expected the pipeline to be invalid');
}

describe('YAML that used to reach the yaml library unchecked', () => {
  // Expanded, this document is 9^9 strings: without the limit the test runs out of memory or time.
  test('a billion-laughs alias bomb is refused, at the first alias, without expanding it', async () => {
    const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [name, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f'], ['h', 'g'], ['i', 'h']]) {
      bomb.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    expect(await loadErrors(`${bomb.join('\n')}\nstages: {}\n`)).toEqual([
      'pipeline.yaml:2:8: YAML aliases expand to too many nodes (more than 1000: limit TUNEKIT_MAX_YAML_ALIASES)',
    ]);
  });

  test('an undefined alias', async () => {
    expect(await loadErrors('stages:\n  a: *nope\n')).toEqual(['pipeline.yaml:2:6: undefined YAML alias *nope (no anchor &nope before it)']);
  });

  test('<<: *self (an alias inside the node it names)', async () => {
    expect(await loadErrors('stages:\n  a: &self\n    uses: command\n    <<: *self\n')).toEqual(['pipeline.yaml:4:9: YAML alias *self is inside the node it refers to (an infinite structure)']);
  });

  test('<<: [1, 2] (merging scalars)', async () => {
    expect(await loadErrors('stages:\n  a:\n    <<: [1, 2]\n')).toEqual(['pipeline.yaml:3:9: a merge key (<<) takes a mapping, an alias of one, or a list of them']);
  });

  test('a merge of a mapping alias still works', async () => {
    const pipeline = await load(`params: &base\n  uses: command\n  run: [echo, hi]\n  outputs: [out]\nstages:\n  a:\n    <<: *base\n`);
    expect(pipeline.stages.map((stage) => stage.uses)).toEqual(['command']);
  });

  test.each([
    ['flow', `stages: ${'['.repeat(3000)}${']'.repeat(3000)}\n`, 'pipeline.yaml:1:72'],
    ['flow mappings', `stages:\n  a: ${'{k: '.repeat(3000)}1${'}'.repeat(3000)}\n`, 'pipeline.yaml:2:254'],
    ['block sequence entries', `stages:\n  a:\n    x:\n      ${'- '.repeat(3000)}x\n`, 'pipeline.yaml:4:7'],
    ['block mappings', `stages:\n${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i + 1)}k:`).join('\n')} 1\n`, 'pipeline.yaml:65:65'],
  ])('3,000-level nesting (%s) is refused before parsing', async (_, text, location) => {
    expect(await loadErrors(text, { limits: { pipelineFileBytes: 8 * 1024 * 1024 } })).toEqual([`${location}: YAML nested more than 64 levels deep (limit TUNEKIT_MAX_YAML_DEPTH)`]);
  });

  test('brackets and quotes inside scalars and comments are not nesting', async () => {
    const pipeline = await load(`# [[[[ {{{{\nstages:\n  a:\n    ${cmd}\n    description: see [1 and {2, it's [fine\n    with: { d: "[[[[", e: '{{{{', f: [1, [2, { x: 3 }]] }\n`);
    expect(pipeline.stages[0]!.params).toEqual({ d: '[[[[', e: '{{{{', f: [1, [2, { x: 3 }]] });
  });

  test('thousands of syntax errors are listed ten at a time', async () => {
    const errors = await loadErrors(`stages:\n${'  a: [\n'.repeat(50)}`);
    expect(errors.length).toBeLessThanOrEqual(11);
    expect(errors[0]).toMatch(/^pipeline\.yaml:\d+:\d+: invalid YAML: /);
  });
});

describe('matrix cells: bounded before expansion', () => {
  // Expanded first, 10^10 cells never finish: the bound is checked on the axis lengths.
  test('10 axes of 10 values (10^10 cells) are refused at once, naming the shape', async () => {
    const axes = Array.from({ length: 10 }, (_, i) => `k${i}: ${values(10)}`).join(', ');
    expect(await loadErrors(`stages:\n  a:\n    ${cmd}\n    matrix: { ${axes} }\n`)).toEqual([
      `pipeline.yaml:6:13: a: 10000000000 cells (${Array.from({ length: 10 }, (_, i) => `k${i}: 10`).join(' × ')}), more than the limit of 10000 (TUNEKIT_MAX_MATRIX_CELLS)`,
    ]);
  });

  test('a stage fanning out over a matrix stage counts the upstream cells too', async () => {
    const yaml = `stages:\n  a:\n    ${cmd}\n    matrix: { x: ${values(10)}, y: ${values(10)} }\n  b:\n    ${cmd}\n    inputs: { i: a.out }\n    matrix: { z: [1, 2] }\n`;
    expect(await loadErrors(yaml, { limits: { matrixCells: 100 } })).toEqual(['pipeline.yaml:12:13: b: 200 cells (z: 2 × a: 100 cells), more than the limit of 100 (TUNEKIT_MAX_MATRIX_CELLS)']);
  });

  test('exactly the limit is accepted', async () => {
    const pipeline = await load(`stages:\n  a:\n    ${cmd}\n    matrix: { x: ${values(5)}, y: ${values(4)} }\n`, { limits: { matrixCells: 20 } });
    expect(pipeline.stages).toHaveLength(20);
    expect(await loadErrors(`stages:\n  a:\n    ${cmd}\n    matrix: { x: ${values(5)}, y: ${values(4)} }\n`, { limits: { matrixCells: 19 } })).toEqual([
      'pipeline.yaml:6:13: a: 20 cells (x: 5 × y: 4), more than the limit of 19 (TUNEKIT_MAX_MATRIX_CELLS)',
    ]);
  });
});

describe('the pipeline file itself', () => {
  test('larger than the limit: refused from its size, before reading', async () => {
    const dir = workspace({ 'pipeline.yaml': `stages: {}\n# ${'x'.repeat(2000)}\n` });
    expect(await fileErrors(join(dir, 'pipeline.yaml'), { limits: { pipelineFileBytes: 1000 } })).toEqual([
      'pipeline.yaml: file is 2014 bytes, more than the limit of 1000 (TUNEKIT_MAX_PIPELINE_BYTES)',
    ]);
  });

  test('only regular files are read: a directory, a symlink to /dev/zero, a FIFO', async () => {
    const dir = workspace({});
    mkdirSync(join(dir, 'dir.yaml'));
    symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
    execFileSync('mkfifo', [join(dir, 'fifo.yaml')]);
    for (const name of ['dir.yaml', 'zero.yaml', 'fifo.yaml']) {
      expect(await fileErrors(join(dir, name))).toEqual([`${name}: not a regular file`]);
    }
  });

  test('bytes that are not UTF-8 are refused at line:col', async () => {
    const dir = workspace({});
    writeFileSync(join(dir, 'latin1.yaml'), Buffer.concat([Buffer.from('stages:\n  a:\n    description: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    expect(await fileErrors(join(dir, 'latin1.yaml'))).toEqual(['latin1.yaml:3:21: invalid UTF-8 (a pipeline file must be UTF-8 text)']);
  });
});

describe('limits are data', () => {
  test('defaults, then environment variables, then per-call overrides', () => {
    expect(DEFAULT_LIMITS).toEqual({ matrixCells: 10_000, yamlAliases: 1_000, yamlDepth: 64, pipelineFileBytes: 1_048_576 });
    expect(resolveLimits({}, { TUNEKIT_MAX_MATRIX_CELLS: '50000' }).matrixCells).toBe(50_000);
    expect(resolveLimits({ matrixCells: 7 }, { TUNEKIT_MAX_MATRIX_CELLS: '50000' }).matrixCells).toBe(7);
  });

  test('a malformed limit variable is a user error naming it', () => {
    expect(() => resolveLimits({}, { TUNEKIT_MAX_YAML_DEPTH: 'deep' })).toThrow('TUNEKIT_MAX_YAML_DEPTH: expected a positive integer, found "deep"');
  });
});
