/**
 * Access to tfjs-backend-wasm internals for kernels written in JavaScript: typed-array views over
 * the wasm heap (no copies) and "alias" tensor ids that let the C++ kernels read or write a
 * sub-range of an existing tensor. The C++ side owns no memory (its `dispose_data` only forgets
 * the id and drops cached XNNPACK operators), so an alias is released with `releaseAlias` and the
 * memory stays with the tensor that owns it.
 *
 * Views must be re-taken after any allocation (the heap can grow and detach earlier views), so
 * kernels allocate their outputs first and then take views.
 */
import type { DataId, TensorInfo } from '@tensorflow/tfjs-core';

interface TensorRecord {
  id: number;
  memoryOffset: number;
  shape: number[];
  dtype: string;
  refCount: number;
}

export interface WasmBackendLike {
  wasm: {
    HEAPU8: Uint8Array;
    cwrap(name: string, returnType: null | 'number', argTypes: string[]): (...args: unknown[]) => unknown;
    tfjs: { registerTensor(id: number, size: number, memoryOffset: number): void; disposeData(id: number): void };
  };
  dataIdMap: { get(dataId: DataId): TensorRecord };
  dataIdNextNumber: number;
  makeOutput(shape: number[], dtype: string, memoryOffset?: number): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: DataId, force?: boolean): boolean;
  incRef(dataId: DataId): void;
}

export function f32(backend: WasmBackendLike, info: TensorInfo): Float32Array {
  if (info.dtype !== 'float32') throw new Error(`expected a float32 tensor, got ${info.dtype}`);
  return backend.typedArrayFromHeap(info) as Float32Array;
}

export function i32(backend: WasmBackendLike, info: TensorInfo): Int32Array {
  if (info.dtype !== 'int32') throw new Error(`expected an int32 tensor, got ${info.dtype}`);
  return backend.typedArrayFromHeap(info) as Int32Array;
}

export const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** The C++ tensor id of a tensor. */
export const cppId = (backend: WasmBackendLike, info: TensorInfo): number => backend.dataIdMap.get(info.dataId).id;

/** A fresh C++ tensor id over `length` float32 elements of `info` starting at element `offset`. */
export function alias(backend: WasmBackendLike, info: TensorInfo, offset: number, length: number): number {
  const id = backend.dataIdNextNumber++;
  backend.wasm.tfjs.registerTensor(id, length, backend.dataIdMap.get(info.dataId).memoryOffset + offset * 4);
  return id;
}

export function releaseAlias(backend: WasmBackendLike, id: number): void {
  backend.wasm.tfjs.disposeData(id);
}
