import { rename, writeFile, rm } from 'node:fs/promises';
import { DTYPE_SIZES, type Dtype } from './dtypes.ts';

export interface TensorToWrite {
  name: string;
  dtype: Dtype;
  shape: number[];
  /** Little-endian raw bytes (a Float32Array is accepted for F32). */
  data: Uint8Array | Float32Array;
}

/**
 * Serialize tensors the way the reference implementation does: tensors ordered by dtype alignment
 * (largest first), then by name; compact JSON header with `__metadata__` first (keys sorted),
 * padded with spaces to a multiple of 8 bytes. Same tensors → same bytes.
 */
export function serializeSafetensors(tensors: TensorToWrite[], metadata?: Record<string, string>): Uint8Array {
  const ordered = [...tensors].sort((a, b) => DTYPE_SIZES[b.dtype] - DTYPE_SIZES[a.dtype] || compareNames(a.name, b.name));
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) {
    header.__metadata__ = Object.fromEntries(Object.keys(metadata).sort(compareNames).map((key) => [key, metadata[key]]));
  }
  const seen = new Set<string>();
  let offset = 0;
  const chunks: Uint8Array[] = [];
  for (const tensor of ordered) {
    if (tensor.name === '__metadata__' || seen.has(tensor.name)) throw new Error(`safetensors: duplicate or reserved tensor name "${tensor.name}"`);
    seen.add(tensor.name);
    const bytes = tensor.data instanceof Uint8Array ? tensor.data : new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
    const expected = tensor.shape.reduce((a, b) => a * b, 1) * DTYPE_SIZES[tensor.dtype];
    if (bytes.byteLength !== expected) {
      throw new Error(`safetensors: tensor "${tensor.name}" ${tensor.dtype} ${JSON.stringify(tensor.shape)} needs ${expected} bytes, got ${bytes.byteLength}`);
    }
    header[tensor.name] = { dtype: tensor.dtype, shape: tensor.shape, data_offsets: [offset, offset + bytes.byteLength] };
    offset += bytes.byteLength;
    chunks.push(bytes);
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padding = (8 - (json.byteLength % 8)) % 8;
  if (padding > 0) json = new TextEncoder().encode(JSON.stringify(header) + ' '.repeat(padding));
  const out = new Uint8Array(8 + json.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  out.set(json, 8);
  let position = 8 + json.byteLength;
  for (const chunk of chunks) {
    out.set(chunk, position);
    position += chunk.byteLength;
  }
  return out;
}

/** Write atomically (temp file + rename): a failure never leaves a half-written file. */
export async function writeSafetensors(path: string, tensors: TensorToWrite[], metadata?: Record<string, string>): Promise<void> {
  const bytes = serializeSafetensors(tensors, metadata);
  const temp = `${path}.tmp-${process.pid}`;
  try {
    await writeFile(temp, bytes);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Byte-wise (code unit) order, locale independent, like Rust's String ordering for ASCII names. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
