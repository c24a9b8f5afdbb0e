import { describe, expect, test } from '@jest/globals';
import { readFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSafetensors, readSafetensors, serializeSafetensors, toFloat32, halfToFloat } from '../src/safetensors/index.ts';
import { TINY_BERT_DIR } from './helpers/paths.ts';

const FIXTURE = join(TINY_BERT_DIR, 'model.safetensors');

function withHeader(header: unknown, dataBytes: number, pad = true): Uint8Array {
  let json = JSON.stringify(header);
  if (pad) json += ' '.repeat((8 - (json.length % 8)) % 8);
  const bytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + bytes.byteLength + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(bytes.byteLength), true);
  out.set(bytes, 8);
  return out;
}

describe('safetensors reader', () => {
  test('reads the tiny-bert fixture: 42 tensors, metadata kept, I64 position_ids parsed', async () => {
    const file = await readSafetensors(FIXTURE);
    expect(file.metadata).toEqual({ format: 'pt' });
    expect(file.tensors).toHaveLength(42);
    const positionIds = file.tensors.find((t) => t.name === 'bert.embeddings.position_ids')!;
    expect(positionIds.dtype).toBe('I64');
    expect(positionIds.shape).toEqual([1, 64]);
    const ids = new BigInt64Array(positionIds.bytes.slice().buffer);
    expect(Array.from(ids.slice(0, 4), Number)).toEqual([0, 1, 2, 3]);
    const word = file.tensors.find((t) => t.name === 'bert.embeddings.word_embeddings.weight')!;
    expect(word.shape).toEqual([120, 32]);
    expect(Array.from(toFloat32(word).slice(0, 32))).toEqual(new Array(32).fill(0)); // [PAD] row is zero
  });

  test('F16 and BF16 tensors are read as float32', () => {
    const f16 = new Uint16Array([0x3c00, 0xc000, 0x3555, 0x0001, 0x7c00]); // 1, -2, 0.333251953125, 2^-24, inf
    const bf16 = new Uint16Array([0x3f80, 0xc0a0, 0x3eaa]); // 1, -5, 0.33203125
    const file = serializeSafetensors([
      { name: 'half', dtype: 'F16', shape: [5], data: new Uint8Array(f16.buffer) },
      { name: 'brain', dtype: 'BF16', shape: [3], data: new Uint8Array(bf16.buffer) },
    ]);
    const parsed = parseSafetensors(file);
    expect(Array.from(toFloat32(parsed.tensors.find((t) => t.name === 'half')!))).toEqual([1, -2, 0.333251953125, 2 ** -24, Infinity]);
    expect(Array.from(toFloat32(parsed.tensors.find((t) => t.name === 'brain')!))).toEqual([1, -5, 0.33203125]);
    expect(halfToFloat(0x7e00)).toBeNaN();
  });

  test('a gap between tensors is rejected (the spec requires the buffer to be fully indexed)', () => {
    const file = withHeader({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } }, 12);
    expect(() => parseSafetensors(file, 'gap.safetensors')).toThrow('gap.safetensors: invalid safetensors file: gap in the data section: bytes [4, 8) belong to no tensor (before "b")');
  });

  test('overlapping tensors are rejected', () => {
    const file = withHeader({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 8);
    expect(() => parseSafetensors(file, 'o.safetensors')).toThrow('tensor "b" bytes [4, 8) overlap the previous tensor (ends at 8)');
  });

  test('trailing bytes after the last tensor are rejected', () => {
    const file = withHeader({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, 6);
    expect(() => parseSafetensors(file, 't.safetensors')).toThrow('data section is 6 bytes but the tensors cover 4');
  });

  test('a shape that does not match its byte range names the tensor', () => {
    const file = withHeader({ w: { dtype: 'F16', shape: [3], data_offsets: [0, 4] } }, 4);
    expect(() => parseSafetensors(file, 's.safetensors')).toThrow('tensor "w": F16 [3] needs 6 bytes but data_offsets [0, 4] hold 4');
  });

  test('an unknown dtype is rejected with the list of known ones', () => {
    const file = withHeader({ w: { dtype: 'F31', shape: [1], data_offsets: [0, 4] } }, 4);
    expect(() => parseSafetensors(file, 'd.safetensors')).toThrow('tensor "w": unknown dtype "F31" (known: BOOL, U8');
  });

  test('a header length above 100 MB is rejected before any allocation', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'st-'));
    const path = join(dir, 'huge.safetensors');
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setBigUint64(0, 2n ** 63n, true);
    await writeFile(path, bytes);
    await expect(readSafetensors(path)).rejects.toThrow(`${path}: invalid safetensors file: header length 9223372036854775808 exceeds the 104857600-byte limit`);
  });

  test('a header length past the end of the file is rejected', () => {
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setBigUint64(0, 100n, true);
    expect(() => parseSafetensors(bytes, 'short.safetensors')).toThrow('header length 100 runs past the end of the file (16 bytes)');
  });

  test('a header that is not UTF-8 is rejected', () => {
    const file = withHeader({}, 0);
    file[9] = 0xff;
    expect(() => parseSafetensors(file, 'u.safetensors')).toThrow('header is not valid UTF-8');
  });

  test('a missing file gives a clear error', async () => {
    await expect(readSafetensors('/nonexistent/model.safetensors')).rejects.toThrow('/nonexistent/model.safetensors: cannot open safetensors file (not found)');
  });
});

describe('safetensors writer', () => {
  test('re-serialising the fixture tensors reproduces the Python-written file byte for byte', async () => {
    const original = new Uint8Array(await readFile(FIXTURE));
    const parsed = parseSafetensors(original);
    const shuffled = [...parsed.tensors].reverse().map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape, data: t.bytes }));
    const written = serializeSafetensors(shuffled, parsed.metadata);
    expect(Buffer.from(written).equals(Buffer.from(original))).toBe(true);
  });

  test('the header is padded with spaces to a multiple of 8 bytes', () => {
    const file = serializeSafetensors([{ name: 'x', dtype: 'F32', shape: [1], data: new Float32Array([1]) }]);
    const length = Number(new DataView(file.buffer).getBigUint64(0, true));
    expect(length % 8).toBe(0);
    const json = new TextDecoder().decode(file.subarray(8, 8 + length));
    expect(json).toBe('{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}' + ' '.repeat(length - 54));
  });

  test('refuses data whose size does not match the shape', () => {
    expect(() => serializeSafetensors([{ name: 'x', dtype: 'F32', shape: [2], data: new Float32Array([1]) }])).toThrow('tensor "x" F32 [2] needs 8 bytes, got 4');
  });
});
