import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parseSafetensors, readSafetensors } from '../src/safetensors/index.ts';
import { TINY_BERT_DIR } from './helpers/paths.ts';
import { mulberry32 } from '@tunekit/pipeline/sdk';

/**
 * Fuzz: deterministic mutations of the tiny-bert fixture. Every mutated file must be rejected with
 * an Error naming the file and the problem; none may crash, hang or allocate past the file size.
 */
const ORIGINAL = new Uint8Array(readFileSync(join(TINY_BERT_DIR, 'model.safetensors')));
const HEADER_LENGTH = Number(new DataView(ORIGINAL.buffer, ORIGINAL.byteOffset).getBigUint64(0, true));
const HEADER_TEXT = new TextDecoder().decode(ORIGINAL.subarray(8, 8 + HEADER_LENGTH));
const random = mulberry32(20240508);
const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];

/** Byte positions of every tensor entry object ({"dtype":...}) in the header. */
const ENTRY_SPANS = [...HEADER_TEXT.matchAll(/\{"dtype":[^}]*\}/g)].map((m) => [8 + m.index, 8 + m.index + m[0].length] as const);

function withHeaderText(text: string): Uint8Array {
  const json = new TextEncoder().encode(text);
  const data = ORIGINAL.subarray(8 + HEADER_LENGTH);
  const out = new Uint8Array(8 + json.byteLength + data.byteLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  out.set(json, 8);
  out.set(data, 8 + json.byteLength);
  return out;
}

function replaceNth(text: string, pattern: RegExp, replace: (match: string) => string): string {
  const matches = [...text.matchAll(pattern)];
  const m = pick(matches);
  return text.slice(0, m.index) + replace(m[0]) + text.slice(m.index + m[0].length);
}

type Case = { kind: string; bytes: Uint8Array };
const cases: Case[] = [];

for (let i = 0; i < 50; i++) {
  const length = Math.floor(random() * ORIGINAL.byteLength);
  cases.push({ kind: `truncated to ${length} bytes`, bytes: ORIGINAL.slice(0, length) });
}
for (let i = 0; i < 60; i++) {
  const [start, end] = pick(ENTRY_SPANS);
  const position = start + Math.floor(random() * (end - start));
  const bytes = ORIGINAL.slice();
  bytes[position] ^= 1 << Math.floor(random() * 8);
  cases.push({ kind: `header bit flip at byte ${position}`, bytes });
}
for (let i = 0; i < 20; i++) {
  const bytes = ORIGINAL.slice();
  bytes[Math.floor(random() * 8)] ^= 1 << Math.floor(random() * 8);
  cases.push({ kind: 'length bit flip', bytes });
}
for (const huge of [2n ** 64n - 1n, 2n ** 63n, 2n ** 53n + 1n, 2n ** 40n, 100n * 1024n * 1024n + 1n, BigInt(ORIGINAL.byteLength), BigInt(ORIGINAL.byteLength - 7), 0n, 1n, 7n]) {
  const bytes = ORIGINAL.slice();
  new DataView(bytes.buffer).setBigUint64(0, huge, true);
  cases.push({ kind: `header length ${huge}`, bytes });
}
// Same-size dtypes (F32 → I32/U32) give a VALID file; the checkpoint loader rejects them (see checkpoint tests).
for (let i = 0; i < 25; i++) {
  const dtype = pick(['F16', 'BF16', 'I16', 'F64', 'U8', 'I64', 'F8_E4M3', 'f32', 'float32', 'Q4', '', '32']);
  const text = replaceNth(HEADER_TEXT, /"dtype":"F32"/g, () => `"dtype":"${dtype}"`);
  cases.push({ kind: `dtype changed to ${dtype}`, bytes: withHeaderText(text) });
}
for (let i = 0; i < 25; i++) {
  const shape = pick(['[]', '[0]', '[33]', '[31]', '[-32]', '[32.5]', '["32"]', '[32,2]', '[1e400]', '[9007199254740993]', '[4294967296,4294967296]', 'null', '{}']);
  const text = replaceNth(HEADER_TEXT, /"shape":\[[0-9,]+\]/g, () => `"shape":${shape}`);
  cases.push({ kind: `shape changed to ${shape}`, bytes: withHeaderText(text) });
}
for (let i = 0; i < 25; i++) {
  const tweak = pick([(a: number, b: number) => [a + 4, b + 4], (a: number, b: number) => [a - 4, b], (a: number, b: number) => [b, a],
    (a: number, b: number) => [a, b + 1e12], (a: number, b: number) => [a, -b], (a: number) => [a], (a: number, b: number) => [a + 0.5, b + 0.5],
    (a: number, b: number) => [a + 2 ** 60, b + 2 ** 60], () => [0, 0]]);
  const text = replaceNth(HEADER_TEXT, /"data_offsets":\[\d+,\d+\]/g, (m) => {
    const [a, b] = JSON.parse(m.slice('"data_offsets":'.length)) as number[];
    return `"data_offsets":${JSON.stringify(tweak(a, b))}`;
  });
  cases.push({ kind: 'offsets changed', bytes: withHeaderText(text) });
}
for (const garbage of ['', '[]', '"x"', 'null', '{"a":1}', '{"__metadata__":{"format":1}}', '{"__metadata__":[]}', '{"a":{"dtype":"F32","shape":[1]}}', '{', '\u0000{}']) {
  cases.push({ kind: `header ${JSON.stringify(garbage)}`, bytes: withHeaderText(garbage) });
}

describe('safetensors fuzz', () => {
  test(`at least 200 deterministic mutations are generated (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
  });

  test('every mutated file is rejected with an Error naming the file and the problem', () => {
    const accepted: string[] = [];
    for (const [index, c] of cases.entries()) {
      const label = `fuzz-${index}.safetensors`;
      let error: unknown;
      try {
        parseSafetensors(c.bytes, label);
      } catch (caught) {
        error = caught;
      }
      if (!(error instanceof Error)) {
        accepted.push(c.kind);
        continue;
      }
      expect(error.message.startsWith(`${label}: invalid safetensors file: `)).toBe(true);
      expect(error.message.length).toBeGreaterThan(label.length + 30);
    }
    expect(accepted).toEqual([]);
  });

  test('the file reader (which reads the header before the data) rejects every 5th case the same way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fuzz-'));
    for (let index = 0; index < cases.length; index += 5) {
      const path = join(dir, `case-${index}.safetensors`);
      writeFileSync(path, cases[index].bytes);
      await expect(readSafetensors(path)).rejects.toThrow(`${path}: invalid safetensors file: `);
    }
  });
});
