import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { copyFile, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isStageInputError, mulberry32 } from '@tunekit/pipeline/sdk';
import { checkTokenizerFiles, existingTokenizerFiles, inspectModel, isModelFileError, loadModel, parseVocabTxt } from '../src/index.ts';
import { useBackend } from './helpers/backend.ts';
import { tempDir } from './helpers/checkpoints.ts';
import { REPO_ROOT } from './helpers/paths.ts';

/**
 * Issue 18, finding 5 (model folders): ~60 corrupted copies of the builtin model
 * models/biomed-bert-mini — truncations at many offsets, flipped header bytes, wrong dtypes and
 * shapes, bad config.json and vocab.txt, symlink loops, directories and devices where files are
 * expected. Each must be a typed user error (ModelFileError: exit code 2) whose message starts
 * with the bad file's path — from both `inspectModel` and `loadModel` — never a crash, an
 * untyped Error or a hang.
 */
const SOURCE = join(REPO_ROOT, 'models/biomed-bert-mini');
const FILES = ['config.json', 'model.safetensors', 'vocab.txt', 'tokenizer.json', 'tokenizer_config.json'];
const weights = new Uint8Array(readFileSync(join(SOURCE, 'model.safetensors')));
const headerLength = Number(new DataView(weights.buffer, weights.byteOffset).getBigUint64(0, true));
const headerText = new TextDecoder().decode(weights.subarray(8, 8 + headerLength));
let root: string;

beforeAll(async () => {
  await useBackend('cpu');
  root = await tempDir('bad-folders-');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The same data section under an edited header (length field rewritten). */
function withHeader(text: string): Uint8Array {
  const json = new TextEncoder().encode(text);
  const data = weights.subarray(8 + headerLength);
  const out = new Uint8Array(8 + json.byteLength + data.byteLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  out.set(json, 8);
  out.set(data, 8 + json.byteLength);
  return out;
}

interface Case {
  name: string;
  /** The file the error must name. */
  bad: string;
  /** Turns a good copy of the folder into the bad one. */
  corrupt(dir: string): Promise<void>;
}

const cases: Case[] = [];
const weightsCase = (name: string, bytes: () => Uint8Array) =>
  cases.push({ name, bad: 'model.safetensors', corrupt: (dir) => writeFile(join(dir, 'model.safetensors'), bytes()) });
const configCase = (name: string, text: string | ((config: Record<string, unknown>) => unknown)) =>
  cases.push({
    name,
    bad: 'config.json',
    corrupt: async (dir) => {
      const original = JSON.parse(await readFile(join(SOURCE, 'config.json'), 'utf8')) as Record<string, unknown>;
      await writeFile(join(dir, 'config.json'), typeof text === 'string' ? text : JSON.stringify(text(original)));
    },
  });
const vocabCase = (name: string, bytes: Uint8Array | string) =>
  cases.push({ name, bad: 'vocab.txt', corrupt: (dir) => writeFile(join(dir, 'vocab.txt'), bytes) });

// Truncations: inside the length field, the header, at its end, inside the data, one byte short.
for (const at of [0, 1, 7, 8, 9, 64, 300, 'half-header', 'header-end-1', 'header-end', 'header-end+1', 'data+1000', 'middle', 'end-4', 'end-1'] as const) {
  weightsCase(`model.safetensors truncated at ${at}`, () => {
    const h = 8 + headerLength;
    const offset = typeof at === 'number' ? at
      : { 'half-header': 8 + (headerLength >> 1), 'header-end-1': h - 1, 'header-end': h, 'header-end+1': h + 1, 'data+1000': h + 1000, middle: weights.length >> 1, 'end-4': weights.length - 4, 'end-1': weights.length - 1 }[at];
    return weights.slice(0, offset);
  });
}
// Flipped header bytes: one bit of a structural character ({}[]":, digits, dtype letters).
const random = mulberry32(18_05);
const structural = [...headerText].flatMap((ch, i) => (/[{}[\]":,0-9]/.test(ch) || headerText.slice(i - 1, i + 3).match(/^"F32/) ? [i] : []));
for (let i = 0; i < 12; i++) {
  const position = 8 + structural[Math.floor(random() * structural.length)]!;
  const bit = 1 << Math.floor(random() * 7);
  weightsCase(`header byte ${position} ^ ${bit}`, () => {
    const bytes = weights.slice();
    bytes[position] ^= bit;
    return bytes;
  });
}
weightsCase('header length field = 2^64 - 1', () => {
  const bytes = weights.slice();
  new DataView(bytes.buffer).setBigUint64(0, 2n ** 64n - 1n, true);
  return bytes;
});
weightsCase('header length field = file size', () => {
  const bytes = weights.slice();
  new DataView(bytes.buffer).setBigUint64(0, BigInt(bytes.length), true);
  return bytes;
});
// Wrong dtypes and shapes that keep the header well-formed or not.
weightsCase('word embeddings stored as I32 (same byte size: a valid file)', () =>
  withHeader(headerText.replace(/("bert\.embeddings\.word_embeddings\.weight":\{"dtype":")F32/, '$1I32')));
weightsCase('a tensor stored as F16 (byte size no longer matches)', () => withHeader(headerText.replace('"dtype":"F32"', '"dtype":"F16"')));
weightsCase('unknown dtype Q4', () => withHeader(headerText.replace('"dtype":"F32"', '"dtype":"Q4"')));
weightsCase('a shape with the dimensions swapped (valid file, wrong for the config)', () =>
  withHeader(headerText.replace(/("bert\.encoder\.layer\.0\.intermediate\.dense\.weight":\{"dtype":"F32","shape":\[)(\d+),(\d+)\]/, '$1$3,$2]')));
weightsCase('a negative dimension', () => withHeader(headerText.replace(/"shape":\[(\d+)/, '"shape":[-$1')));
weightsCase('offsets past the end of the file', () => withHeader(headerText.replace(/"data_offsets":\[(\d+),(\d+)\]/, (_m, a, b) => `"data_offsets":[${a},${Number(b) + 10 ** 12}]`)));
weightsCase('overlapping offsets', () => withHeader(headerText.replace(/"data_offsets":\[(\d+),(\d+)\]/, (_m, a, b) => `"data_offsets":[${Number(a) + 4},${Number(b) + 4}]`)));
weightsCase('header is a JSON array', () => withHeader('[]      '));
weightsCase('header is not JSON', () => withHeader('{"a": tru'));
weightsCase('empty file', () => new Uint8Array(0));
weightsCase('a PyTorch zip pickle renamed', () => new TextEncoder().encode('PK\u0003\u0004 archive/data.pkl'));
cases.push({ name: 'model.safetensors missing', bad: 'model.safetensors', corrupt: (dir) => rm(join(dir, 'model.safetensors'), { force: true }) });
cases.push({ name: 'model.safetensors is a directory', bad: 'model.safetensors', corrupt: async (dir) => { await rm(join(dir, 'model.safetensors'), { force: true }); await mkdir(join(dir, 'model.safetensors')); } });
cases.push({ name: 'model.safetensors is a symlink loop', bad: 'model.safetensors', corrupt: async (dir) => { await rm(join(dir, 'model.safetensors'), { force: true }); await symlink('model.safetensors', join(dir, 'model.safetensors')); } });
cases.push({ name: 'model.safetensors → /dev/zero', bad: 'model.safetensors', corrupt: async (dir) => { await rm(join(dir, 'model.safetensors'), { force: true }); await symlink('/dev/zero', join(dir, 'model.safetensors')); } });

// config.json
cases.push({ name: 'config.json missing', bad: 'config.json', corrupt: (dir) => rm(join(dir, 'config.json')) });
configCase('config.json empty', '');
configCase('config.json whitespace only', '  \n\t\n');
configCase('config.json not JSON', '{"model_type": "bert",');
configCase('config.json a JSON array', '[1, 2]');
cases.push({ name: 'config.json with a Latin-1 byte', bad: 'config.json', corrupt: (dir) => writeFile(join(dir, 'config.json'), new Uint8Array([...new TextEncoder().encode('{"model_type": "bert", "note": "caf'), 0xe9, 0x22, 0x7d])) });
configCase('config.json without model_type', (c) => ({ ...c, model_type: undefined }));
configCase('config.json model_type roberta', (c) => ({ ...c, model_type: 'roberta' }));
configCase('config.json hidden_size a string', (c) => ({ ...c, hidden_size: '256' }));
configCase('config.json num_hidden_layers 1e9', (c) => ({ ...c, num_hidden_layers: 1e9 }));
// config.json valid but not matching the weights: the error names model.safetensors (and what the config expects).
const mismatch = (name: string, edit: (config: Record<string, unknown>) => unknown) => {
  configCase(name, edit);
  cases[cases.length - 1]!.bad = 'model.safetensors';
};
mismatch('config.json num_hidden_layers one more than the checkpoint', (c) => ({ ...c, num_hidden_layers: (c.num_hidden_layers as number) + 1 }));
mismatch('config.json vocab_size off by one', (c) => ({ ...c, vocab_size: (c.vocab_size as number) - 1 }));
configCase('config.json a token-classification head without labels', (c) => ({ ...c, architectures: ['BertForTokenClassification'], id2label: undefined, label2id: undefined }));
configCase('config.json hidden_act swish', (c) => ({ ...c, hidden_act: 'swish' }));
cases.push({ name: 'config.json is a directory', bad: 'config.json', corrupt: async (dir) => { await rm(join(dir, 'config.json')); await mkdir(join(dir, 'config.json')); } });
cases.push({ name: 'config.json is a symlink loop', bad: 'config.json', corrupt: async (dir) => { await rm(join(dir, 'config.json')); await symlink('config.json', join(dir, 'config.json')); } });

// vocab.txt (inspect checks it when present; the load stage also requires one — see vocab tests below)
vocabCase('vocab.txt empty', '');
vocabCase('vocab.txt blank lines only', '\n\n\n');
vocabCase('vocab.txt UTF-16 with BOM', new Uint8Array([0xff, 0xfe, 0x5b, 0x00, 0x50, 0x00, 0x41, 0x00, 0x44, 0x00, 0x5d, 0x00, 0x0a, 0x00]));
vocabCase('vocab.txt binary', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00]));
vocabCase('vocab.txt with Latin-1 bytes', new Uint8Array([...new TextEncoder().encode('[PAD]\n[UNK]\ncaf'), 0xe9, 0x0a]));
cases.push({ name: 'vocab.txt is a directory', bad: 'vocab.txt', corrupt: async (dir) => { await rm(join(dir, 'vocab.txt')); await mkdir(join(dir, 'vocab.txt')); } });
cases.push({ name: 'vocab.txt is a symlink loop', bad: 'vocab.txt', corrupt: async (dir) => { await rm(join(dir, 'vocab.txt')); await symlink('vocab.txt', join(dir, 'vocab.txt')); } });

/** A fresh good copy of the builtin model (the large weights file symlinked unless a case replaces it). */
async function goodCopy(index: number): Promise<string> {
  const dir = join(root, `case-${index}`);
  await mkdir(dir);
  for (const file of FILES) {
    if (file === 'model.safetensors') await symlink(join(SOURCE, file), join(dir, file));
    else await copyFile(join(SOURCE, file), join(dir, file));
  }
  return dir;
}

async function rejection(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('bad model folders (from models/biomed-bert-mini)', () => {
  test(`at least 50 corrupted folders are generated (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
  });

  test('the uncorrupted copy loads and inspects (the cases start from a good folder)', async () => {
    const dir = await goodCopy(-1);
    expect((await inspectModel(dir)).missing).toEqual([]);
    (await loadModel(dir)).dispose();
  });

  test('every case: inspectModel and loadModel both reject with a ModelFileError (exit code 2) naming the bad file', async () => {
    const problems: string[] = [];
    for (const [index, c] of cases.entries()) {
      const dir = await goodCopy(index);
      if (c.bad === 'model.safetensors') await rm(join(dir, 'model.safetensors'), { force: true });
      await c.corrupt(dir);
      const file = join(dir, c.bad);
      for (const [what, run] of [['inspect', () => inspectModel(dir)], ['load', () => loadModel(dir).then((m) => m.dispose())]] as const) {
        if (what === 'load' && c.bad === 'vocab.txt') continue; // loadModel reads weights only; the load stage checks vocab.txt
        const error = await rejection(run);
        const ok = isModelFileError(error) && isStageInputError(error) && (error as Error).message.startsWith(`${file}: `) && !(error as Error).message.includes('\n');
        if (!ok) problems.push(`${c.name} (${what}): ${error === undefined ? 'accepted' : `${(error as Error).name}: ${(error as Error).message}`}`);
      }
      await rm(dir, { recursive: true, force: true });
    }
    expect(problems).toEqual([]);
  });
});

describe('vocab.txt', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  test.each([
    ['empty', new Uint8Array(0), 'vocab.txt is empty'],
    ['blank-only', bytes('\n \n\t\n'), 'vocab.txt has no tokens (only blank lines)'],
    ['UTF-16 LE with BOM', new Uint8Array([0xff, 0xfe, 0x61, 0x00]), 'vocab.txt is UTF-16'],
    ['UTF-8 BOM', new Uint8Array([0xef, 0xbb, 0xbf, 0x61]), 'vocab.txt starts with a UTF-8 byte-order mark'],
    ['a NUL byte', bytes('[PAD]\n[U\u0000NK]\n'), 'line 2: control byte 0x00 at byte offset 8'],
    ['Latin-1 é on line 3', new Uint8Array([...bytes('[PAD]\n[UNK]\ncaf'), 0xe9, 0x0a]), 'line 3: invalid UTF-8 at byte offset 15 (byte 0xe9)'],
    ['a truncated 3-byte sequence at the end', new Uint8Array([...bytes('a\n'), 0xe2, 0x82]), 'line 2: invalid UTF-8 at byte offset 2'],
    ['an overlong encoding of "/"', new Uint8Array([...bytes('a\n'), 0xc0, 0xaf]), 'line 2: invalid UTF-8 at byte offset 2'],
    ['a UTF-16 surrogate encoded in UTF-8', new Uint8Array([0xed, 0xa0, 0x80]), 'line 1: invalid UTF-8 at byte offset 0'],
  ])('%s is rejected with the line and byte offset', (_what, content, message) => {
    expect(() => parseVocabTxt(content, '/m/vocab.txt')).toThrow(`/m/vocab.txt: ${message}`);
  });

  test('valid UTF-8 (accents, CJK, emoji) with CRLF line ends gives one token per line', () => {
    expect(parseVocabTxt(bytes('[PAD]\r\ncafé\r\n中\r\n😀\r\n'), 'v')).toEqual(['[PAD]', 'café', '中', '😀']);
  });
});

describe('the tokenizer files the load stage requires', () => {
  test('a folder with neither vocab.txt nor tokenizer.json is refused, naming vocab.txt', async () => {
    const dir = await tempDir();
    await expect(checkTokenizerFiles(dir, 100, await existingTokenizerFiles(dir), true)).rejects.toThrow(`${join(dir, 'vocab.txt')}: not found, and there is no tokenizer.json`);
    await expect(checkTokenizerFiles(dir, 100, [], false)).resolves.toBeUndefined();
  });

  test('a vocab.txt with more tokens than config.json vocab_size is refused', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'vocab.txt'), 'a\nb\nc\n');
    await expect(checkTokenizerFiles(dir, 2, ['vocab.txt'], true)).rejects.toThrow(`${join(dir, 'vocab.txt')}: has 3 tokens but config.json vocab_size is 2`);
  });
});
