import { endianness } from 'node:os';
import type { BinaryDtype } from './manifest.ts';

const LITTLE_ENDIAN_HOST = endianness() === 'LE';

const CONSTRUCTORS = { int32: Int32Array, int16: Int16Array, uint16: Uint16Array, uint8: Uint8Array } as const;
type Typed = Int32Array | Int16Array | Uint16Array | Uint8Array;

/** Encode integer values as a little-endian buffer of `dtype` (values must fit; checked by the caller's choice of dtype). */
export function toLittleEndianBytes(values: ArrayLike<number>, dtype: BinaryDtype): Buffer {
  const typed: Typed = CONSTRUCTORS[dtype].from(values as ArrayLike<number>);
  if (!LITTLE_ENDIAN_HOST && typed.BYTES_PER_ELEMENT > 1) swapBytes(typed);
  return Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength);
}

/** Decode a little-endian buffer of `dtype` into a fresh typed array of `dtype`. */
export function fromLittleEndianBytes(bytes: Uint8Array, dtype: BinaryDtype): Typed {
  const Ctor = CONSTRUCTORS[dtype];
  if (bytes.byteLength % Ctor.BYTES_PER_ELEMENT !== 0) throw new Error(`binary array of ${dtype} has ${bytes.byteLength} bytes, not a multiple of ${Ctor.BYTES_PER_ELEMENT}`);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  const typed = new Ctor(copy.buffer, 0, bytes.byteLength / Ctor.BYTES_PER_ELEMENT);
  if (!LITTLE_ENDIAN_HOST && typed.BYTES_PER_ELEMENT > 1) swapBytes(typed);
  return typed;
}

function swapBytes(typed: Typed): void {
  const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
  const width = typed.BYTES_PER_ELEMENT;
  for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}

/** The smallest dtype that holds every value of `values` (for compact files). */
export function smallestDtype(values: ArrayLike<number>): BinaryDtype {
  let min = 0;
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min >= 0 && max <= 0xff) return 'uint8';
  if (min >= 0 && max <= 0xffff) return 'uint16';
  if (min >= -0x8000 && max <= 0x7fff) return 'int16';
  return 'int32';
}
