import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import conll from '../../src/stages/conll.ts';
import corpus from '../../src/stages/corpus.ts';
import textClassification from '../../src/stages/text-classification.ts';
import { isDataError } from '../../src/errors/data-error.ts';
import { readTextInput } from '../../src/files/read-text.ts';
import { makeContext, tempDir } from '../helpers/stage-context.ts';

/**
 * Issue 18, finding 5 (data): bad data is rejected with file:line (and the byte offset for
 * encoding problems) as a DataError (exit code 2), the stage writes nothing, and nothing hangs.
 */
type Stage = typeof conll | typeof corpus | typeof textClassification;

async function run(stage: Stage, fileName: string, content: string | Uint8Array | ((path: string) => Promise<void>), params: Record<string, unknown> = {}) {
  const dir = await tempDir();
  if (typeof content === 'function') await content(join(dir, fileName));
  else await writeFile(join(dir, fileName), content);
  const { ctx, outputDir } = await makeContext(stage as typeof conll, { params: { train: fileName, ...params }, pipelineDir: dir });
  let error: unknown;
  await stage.run(ctx as never).catch((e: unknown) => (error = e));
  return { error: error as Error | undefined, file: join(dir, fileName), dir, out: outputDir(Object.keys(stage.outputs)[0]!) };
}

async function expectRejected(result: Awaited<ReturnType<typeof run>>, message: string) {
  expect(result.error).toBeDefined();
  expect(isDataError(result.error)).toBe(true);
  expect((result.error as unknown as { exitCode: number }).exitCode).toBe(2);
  expect(result.error!.message).toBe(`${result.file}${message}`);
  expect(await readdir(result.out)).toEqual([]);
}

const latin1 = (text: string) => new Uint8Array([...text].map((c) => c.charCodeAt(0)));

describe('data-prep/conll: a dataset of 0 sentences is an error', () => {
  test.each([
    ['an empty file', ''],
    ['a blank-only file', '\n\n   \n\n'],
    ['a tab-only file', '\t\n\t\t\n\t\n'],
    ['only -DOCSTART- lines', '-DOCSTART-\tO\n\n'],
  ])('%s', async (_what, content) => {
    await expectRejected(await run(conll, 'train.tsv', content), ': no sentences: expected token lines (`token<TAB>tag`) separated by blank lines');
  });

  test('an empty validation file too', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'train.tsv'), 'A\tO\n');
    await writeFile(join(dir, 'dev.tsv'), '\n');
    const { ctx } = await makeContext(conll, { params: { train: 'train.tsv', validation: 'dev.tsv' }, pipelineDir: dir });
    await expect(conll.run(ctx)).rejects.toThrow(`${join(dir, 'dev.tsv')}: no sentences`);
  });

  test('holding out every train sentence leaves none for training', async () => {
    await expectRejected(await run(conll, 'train.tsv', 'A\tO\n', { validation_from_train: 0.5 }), ': 1 sentence(s) leave none for training after holding out validation 0.5');
  });
});

describe('encodings: UTF-8 only, unless a BOM says UTF-16', () => {
  test('Latin-1 bytes are an error at file:line with the byte offset, never U+FFFD', async () => {
    await expectRejected(
      await run(conll, 'train.tsv', latin1('A\tO\nB\tO\n\ncaf\u00e9\tB-X\n')),
      ':4: invalid UTF-8 at byte offset 12 (byte 0xe9): expected UTF-8 text (or UTF-16 with a byte-order mark); convert it, e.g. iconv -f latin1 -t utf-8',
    );
  });

  test('a truncated multi-byte sequence at the end of the file', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('A\tO\nB\t'), 0xe2, 0x82]);
    await expectRejected(await run(conll, 'train.tsv', bytes), ':2: invalid UTF-8 at byte offset 6 (byte 0xe2): expected UTF-8 text (or UTF-16 with a byte-order mark); convert it, e.g. iconv -f latin1 -t utf-8');
  });

  test('a NUL byte inside a token is an error at file:line with the byte offset', async () => {
    await expectRejected(await run(conll, 'train.tsv', 'A\tO\nB\u0000C\tO\n'), ':2: NUL character at byte offset 5: expected text (is this a binary file?)');
  });

  test('UTF-16 LE with a BOM is decoded (same sentences as the UTF-8 file)', async () => {
    const text = 'Caf\u00e9\tO\nx\tB-X\n';
    const utf16 = new Uint8Array([0xff, 0xfe, ...new Uint8Array(Buffer.from(text, 'utf16le'))]);
    const dir = await tempDir();
    await writeFile(join(dir, 'a.tsv'), utf16);
    expect(await readTextInput(join(dir, 'a.tsv'))).toBe(text);
  });

  test('a UTF-8 BOM is dropped', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.tsv'), new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('A\tO\r\n')]));
    expect(await readTextInput(join(dir, 'a.tsv'))).toBe('A\tO\n');
  });

  test('text classification (JSONL) and corpus readers reject Latin-1 the same way', async () => {
    await expectRejected(await run(textClassification, 'train.jsonl', latin1('{"text": "ok", "label": "a"}\n{"text": "na\u00efve", "label": "b"}\n')), ':2: invalid UTF-8 at byte offset 41 (byte 0xef): expected UTF-8 text (or UTF-16 with a byte-order mark); convert it, e.g. iconv -f latin1 -t utf-8');
    await expectRejected(await run(corpus, 'train.txt', latin1('First document.\n\nSecond \u00e9.\n')), ':3: invalid UTF-8 at byte offset 24 (byte 0xe9): expected UTF-8 text (or UTF-16 with a byte-order mark); convert it, e.g. iconv -f latin1 -t utf-8');
  });
});

describe('only regular files are read, within limits, and nothing hangs', () => {
  test('train: a symlink to /dev/zero is refused at once', async () => {
    const started = Date.now();
    await expectRejected(await run(conll, 'train.tsv', (path) => symlink('/dev/zero', path)), ': expected a regular file, found a device');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('a FIFO is refused without blocking (no writer ever opens it)', async () => {
    const dir = await tempDir();
    execFileSync('mkfifo', [join(dir, 'train.jsonl')]);
    const { ctx, outputDir } = await makeContext(textClassification, { params: { train: 'train.jsonl' }, pipelineDir: dir });
    await expect(textClassification.run(ctx)).rejects.toThrow(`${join(dir, 'train.jsonl')}: expected a regular file, found a FIFO`);
    expect(await readdir(outputDir('dataset'))).toEqual([]);
  });

  test('a directory and a symlink loop are DataErrors naming the path', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'folder.txt'));
    await symlink('loop.txt', join(dir, 'loop.txt'));
    await expect(readTextInput(join(dir, 'folder.txt'))).rejects.toThrow(`${join(dir, 'folder.txt')}: expected a regular file, found a directory`);
    await expect(readTextInput(join(dir, 'loop.txt'))).rejects.toThrow(`${join(dir, 'loop.txt')}: cannot read file (symlink loop)`);
  });

  test('a file over max_file_mb is refused before it is read; raising the param reads it', async () => {
    const content = 'A\tO\n'.repeat(300_000); // 1.2 MB
    await expectRejected(await run(conll, 'train.tsv', content, { max_file_mb: 1 }), ': file is 1200000 bytes, over the 1 MiB limit (raise max_file_mb to read it)');
    expect((await run(conll, 'train.tsv', content, { max_file_mb: 2 })).error).toBeUndefined();
  });

  test('a .gz that decompresses past max_file_mb is refused (gzip bomb)', async () => {
    await expectRejected(await run(corpus, 'train.txt.gz', gzipSync(Buffer.alloc(3 * 1024 * 1024, 'a')), { max_file_mb: 2 }), ': decompresses to more than 2 MiB (raise max_file_mb to read it)');
  });

  test('a line longer than max_line_length is an error at file:line', async () => {
    await expectRejected(
      await run(corpus, 'train.txt', `short\n${'x'.repeat(5000)}\n`, { max_line_length: 4096 }),
      ':2: line is 5000 characters long, over max_line_length 4096 (a binary or one-line file? raise max_line_length if it is meant)',
    );
  });
});

describe('text classification: an empty file is an error', () => {
  test.each([
    ['an empty JSONL file', 'train.jsonl', '', ': no examples: expected JSON lines with a text and a label'],
    ['a blank-only JSONL file', 'train.jsonl', '\n  \n', ': no examples: expected JSON lines with a text and a label'],
    ['a CSV with a header only', 'train.csv', 'text,label\n', ': no examples: expected CSV rows with a text and a label'],
  ])('%s', async (_what, name, content, message) => {
    await expectRejected(await run(textClassification, name, content), message);
  });

  test('a JSONL file whose every row is skipped as invalid', async () => {
    await expectRejected(await run(textClassification, 'train.jsonl', '{"text": ""}\n', { on_invalid: 'skip' }), ': no examples: expected JSON lines with a text and a label (1 row(s) skipped as invalid)');
  });
});
