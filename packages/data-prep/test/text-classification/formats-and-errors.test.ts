import { describe, expect, test } from '@jest/globals';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import textClassification from '../../src/stages/text-classification.ts';
import { readDataset } from '../../src/dataset/read-dataset.ts';
import { isDataError } from '../../src/errors/data-error.ts';
import { directoryDigest, makeContext, tempDir } from '../helpers/stage-context.ts';

async function run(fileName: string, content: string, params: Record<string, unknown> = {}, seed = 42) {
  const dir = await tempDir();
  await writeFile(join(dir, fileName), content);
  const { ctx, metrics, outputDir } = await makeContext(textClassification, { params: { train: fileName, ...params }, pipelineDir: dir, seed });
  let error: Error | undefined;
  await textClassification.run(ctx).catch((e: Error) => (error = e));
  return { error, file: join(dir, fileName), out: outputDir('dataset'), metrics };
}

describe('data-prep/text-classification formats', () => {
  test('JSONL with configurable fields; label set recorded sorted', async () => {
    const { error, out } = await run('a.jsonl', '{"sentence":"good","y":"pos"}\n\n{"sentence":"bad","y":"neg"}\n', { text_field: 'sentence', label_field: 'y' });
    expect(error).toBeUndefined();
    const { dataset, manifest } = await readDataset(out);
    expect(manifest.labels).toEqual(['neg', 'pos']);
    expect(dataset.splits.train).toEqual([{ text: 'good', label: 'pos' }, { text: 'bad', label: 'neg' }]);
  });

  test('CSV with quoted fields and a header row', async () => {
    const { error, out } = await run('a.csv', 'label,text\n1,"hello, ""world"""\n0,"two\nlines"\n');
    expect(error).toBeUndefined();
    expect((await readDataset(out)).dataset.splits.train).toEqual([{ text: 'hello, "world"', label: '1' }, { text: 'two\nlines', label: '0' }]);
  });

  test('TSV', async () => {
    const { out } = await run('a.tsv', 'text\tlabel\nsome "quoted" text\tx\n');
    expect((await readDataset(out)).dataset.splits.train).toEqual([{ text: 'some "quoted" text', label: 'x' }]);
  });

  test('stratified hold-out keeps label proportions and is identical for the same seed', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => JSON.stringify({ text: `t${i}`, label: i < 80 ? 'a' : 'b' })).join('\n');
    const first = await run('a.jsonl', rows, { validation_from_train: 0.1 }, 7);
    const again = await run('a.jsonl', rows, { validation_from_train: 0.1 }, 7);
    const other = await run('a.jsonl', rows, { validation_from_train: 0.1 }, 8);
    const { manifest } = await readDataset(first.out);
    expect(manifest.splits.validation!.labelCounts).toEqual({ a: 8, b: 2 });
    expect(manifest.splits.train!.labelCounts).toEqual({ a: 72, b: 18 });
    expect(await directoryDigest(again.out)).toBe(await directoryDigest(first.out));
    expect(await directoryDigest(other.out)).not.toBe(await directoryDigest(first.out));
  });
});

describe('data-prep/text-classification rejects bad rows with file:line and writes no artifact', () => {
  const cases: Array<[string, string, string, number, string]> = [
    ['JSONL row without text', 'a.jsonl', '{"text":"ok","label":"x"}\n{"label":"x"}\n', 2, 'expected a non-empty text in field "text", found no such field'],
    ['JSONL row with an empty label', 'a.jsonl', '{"text":"ok","label":""}\n', 1, 'expected a non-empty label in field "label", found ""'],
    ['JSONL line that is not JSON', 'a.jsonl', '{"text":"ok","label":"x"}\nnot json\n', 2, 'expected one JSON object per line'],
    ['CSV row with an empty text', 'a.csv', 'text,label\n,x\n', 2, 'expected a non-empty text in field "text", found ""'],
    ['CSV row with the wrong column count', 'a.csv', 'text,label\na,b,c\n', 2, 'expected CSV with a header row: Invalid Record Length'],
    ['ADE relation row with missing fields', 'DRUG-AE.rel', '1|s|ae|1|2|d|3|4\n2|only two\n', 2, 'expected 8 |-separated fields'],
    ['ADE negative line without NEG', 'ADE-NEG.txt', '1 NEG fine\n2 POS wrong\n', 2, 'expected "PMID NEG sentence" (ADE-NEG.txt)'],
  ];
  test.each(cases)('%s', async (_name, fileName, content, line, detail) => {
    const { error, file, out } = await run(fileName, content, fileName.startsWith('a.') ? {} : { format: 'ade-corpus' });
    expect(isDataError(error)).toBe(true);
    expect((error as unknown as { exitCode: number }).exitCode).toBe(2);
    expect(error!.message.startsWith(`${file}:${line}: ${detail}`)).toBe(true);
    expect(await readdir(out)).toEqual([]);
  });

  test('on_invalid: skip drops such rows and logs how many', async () => {
    const { error, out, metrics } = await run('a.jsonl', '{"text":"ok","label":"x"}\n{"label":"x"}\n{"text":"t"}\n', { on_invalid: 'skip' });
    expect(error).toBeUndefined();
    const { dataset, manifest } = await readDataset(out);
    expect(dataset.splits.train).toEqual([{ text: 'ok', label: 'x' }]);
    expect(manifest.provenance.skippedRows).toBe(2);
    expect(metrics.find((m) => m.key === 'skipped_rows')!.value).toBe(2);
  });
});
