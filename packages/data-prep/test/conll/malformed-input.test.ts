import { describe, expect, test } from '@jest/globals';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import conll from '../../src/stages/conll.ts';
import { DataError, isDataError } from '../../src/errors/data-error.ts';
import { readDataset } from '../../src/dataset/read-dataset.ts';
import { makeContext, tempDir } from '../helpers/stage-context.ts';

async function runOn(content: string, params: Record<string, unknown> = {}) {
  const dir = await tempDir();
  await writeFile(join(dir, 'bad.tsv'), content);
  const { ctx, metrics, outputDir } = await makeContext(conll, { params: { train: 'bad.tsv', ...params }, pipelineDir: dir });
  let error: unknown;
  await conll.run(ctx).catch((e) => (error = e));
  return { error: error as DataError | undefined, file: join(dir, 'bad.tsv'), out: outputDir('dataset'), metrics };
}

const cases: Array<[string, string, number, string]> = [
  ['an I- tag after O in strict IOB2', 'A\tO\nB\tI-X\n', 2, 'expected B-X or I-X before I-X (IOB2), found O'],
  ['an empty token', 'A\tO\n\tB-X\n', 2, 'expected a non-empty token in column 0'],
  ['a line with the wrong column count', 'A\tO\nB\tB-X\textra\n', 2, 'expected 2 tab-separated columns (as on the file\'s first token line), found 3'],
  ['a tag that is not O/B-/I-', 'A\tO\n\nB\tDisease\n', 3, 'expected a tag O or B-<type>, I-<type> (IOB2), found "Disease"'],
];

describe('data-prep/conll rejects malformed input with file:line and writes no artifact', () => {
  test.each(cases)('%s', async (_name, content, line, detail) => {
    const { error, file, out } = await runOn(content);
    expect(isDataError(error)).toBe(true);
    expect(error!.message).toBe(`${file}:${line}: ${detail}`);
    expect(error!.exitCode).toBe(2);
    expect(await readdir(out)).toEqual([]);
  });

  test('a missing file is a DataError naming the file', async () => {
    const dir = await tempDir();
    const { ctx, outputDir } = await makeContext(conll, { params: { train: 'missing.tsv' }, pipelineDir: dir });
    await expect(conll.run(ctx)).rejects.toThrow(`${join(dir, 'missing.tsv')}: file not found`);
    expect(await readdir(outputDir('dataset'))).toEqual([]);
  });

  test('on_invalid: repair fixes tags, drops bad lines and logs the repair counts', async () => {
    const { error, out, metrics } = await runOn('A\tO\nB\tI-X\n\tO\nC\tO\tx\nD\tI-X\n', { on_invalid: 'repair' });
    expect(error).toBeUndefined();
    const { dataset, manifest } = await readDataset(out);
    expect(dataset.splits.train).toEqual([{ tokens: ['A', 'B', 'D'], tags: ['O', 'B-X', 'I-X'] }]);
    expect(manifest.provenance.repairs).toEqual({ ill_formed_tags: 1, empty_tokens: 1, column_count: 1 });
    expect(metrics.filter((m) => m.key.startsWith('repairs_'))).toEqual([
      { key: 'repairs_ill_formed_tags', value: 1, step: undefined },
      { key: 'repairs_empty_tokens', value: 1, step: undefined },
      { key: 'repairs_column_count', value: 1, step: undefined },
    ]);
  });
});

describe('data-prep/conll formats', () => {
  test('whitespace columns with a chosen tag column, -DOCSTART- skipped, IOBES converted', async () => {
    const content = '-DOCSTART- -X- O O\n\nEU NNP S-ORG x\nrejects VBZ O x\nNew NNP B-LOC x\nYork NNP E-LOC x\n\n';
    const { error, out } = await runOn(content, { tag_column: 2, tag_scheme: 'IOBES' });
    expect(error).toBeUndefined();
    const { dataset, manifest } = await readDataset(out);
    expect(dataset.splits.train).toEqual([{ tokens: ['EU', 'rejects', 'New', 'York'], tags: ['B-ORG', 'O', 'B-LOC', 'I-LOC'] }]);
    expect(manifest.labels).toEqual(['O', 'B-LOC', 'I-LOC', 'B-ORG', 'I-ORG']);
  });

  test('IOB1 input becomes IOB2', async () => {
    const { error, out } = await runOn('a\tI-X\nb\tI-X\nc\tB-X\nd\tO\n');
    expect(error?.message).toContain(':1: expected B-X or I-X before I-X (IOB2), found sentence start');
    const iob1 = await runOn('a\tI-X\nb\tI-X\nc\tB-X\nd\tO\n', { tag_scheme: 'IOB1' });
    const { dataset } = await readDataset(iob1.out);
    expect(dataset.splits.train).toEqual([{ tokens: ['a', 'b', 'c', 'd'], tags: ['B-X', 'I-X', 'B-X', 'O'] }]);
    void out;
  });
});
