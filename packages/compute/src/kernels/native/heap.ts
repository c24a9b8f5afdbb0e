/** Where wasm tensors live for native kernels: the heap as one Float32Array and element offsets into it. */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from '../wasm/heap.ts';

/** The whole wasm heap; take it after allocating outputs (an allocation can grow the heap). */
export const heapF32 = (backend: WasmBackendLike): Float32Array => new Float32Array(backend.wasm.HEAPU8.buffer);

/** A float32 tensor's first element, as an index into `heapF32`. */
export const heapIndex = (backend: WasmBackendLike, info: TensorInfo): number => backend.dataIdMap.get(info.dataId).memoryOffset / 4;
