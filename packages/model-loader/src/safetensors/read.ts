import { openRegularFile } from '../files/read-regular-file.ts';
import { decodeFloat32, FLOAT_DTYPES, type Dtype } from './dtypes.ts';
import { MAX_HEADER_BYTES, parseHeader } from './header.ts';

export interface RawTensor {
  name: string;
  dtype: Dtype;
  shape: number[];
  /** Little-endian raw bytes, exactly the tensor's byte range. */
  bytes: Uint8Array;
}

export interface SafetensorsContents {
  metadata: Record<string, string> | undefined;
  /** In file order. */
  tensors: RawTensor[];
}

/** Parse a whole safetensors file held in memory (`label` names it in errors). */
export function parseSafetensors(file: Uint8Array, label = '<buffer>'): SafetensorsContents {
  const header = parseHeader(file, file.byteLength, label);
  const tensors = header.entries.map((entry) => ({
    name: entry.name,
    dtype: entry.dtype,
    shape: entry.shape,
    bytes: file.subarray(header.dataStart + entry.begin, header.dataStart + entry.end),
  }));
  return { metadata: header.metadata, tensors };
}

/** Largest safetensors file read (4 GiB: far above what a tfjs BERT trains on a CPU). */
export const MAX_SAFETENSORS_BYTES = 4 * 1024 ** 3;

/**
 * Read and validate a safetensors file. Only a regular file is read (a directory, FIFO, device or
 * symlink loop is a ModelFileError). The header is read and checked against the file size
 * before anything else is allocated, so a malformed length never causes a huge allocation.
 */
export async function readSafetensors(path: string): Promise<SafetensorsContents> {
  const { handle, size } = await openRegularFile(path, 'safetensors file', MAX_SAFETENSORS_BYTES);
  try {
    const lengthBytes = new Uint8Array(8);
    await handle.read(lengthBytes, 0, Math.min(8, size), 0);
    const declared = size >= 8 ? new DataView(lengthBytes.buffer).getBigUint64(0, true) : 0n;
    // Bounded by both the file size and the 100 MB header limit; parseHeader reports which one failed.
    const headerLength = declared <= BigInt(MAX_HEADER_BYTES) && 8 + Number(declared) <= size ? Number(declared) : 0;
    const prefix = new Uint8Array(8 + headerLength);
    prefix.set(lengthBytes);
    if (headerLength > 0) await handle.read(prefix, 8, headerLength, 8);
    const header = parseHeader(prefix, size, path);
    const data = new Uint8Array(size - header.dataStart);
    if (data.byteLength > 0) await handle.read(data, 0, data.byteLength, header.dataStart);
    const tensors = header.entries.map((entry) => ({
      name: entry.name,
      dtype: entry.dtype,
      shape: entry.shape,
      bytes: data.subarray(entry.begin, entry.end),
    }));
    return { metadata: header.metadata, tensors };
  } finally {
    await handle.close();
  }
}

export function isFloatTensor(tensor: RawTensor): boolean {
  return FLOAT_DTYPES.includes(tensor.dtype);
}

/** A float tensor's values as float32 (F32, F16, BF16, F64). */
export function toFloat32(tensor: RawTensor): Float32Array {
  return decodeFloat32(tensor.dtype, tensor.bytes);
}
