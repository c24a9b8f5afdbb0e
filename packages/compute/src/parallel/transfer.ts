/**
 * Copies between tfjs tensors and the shared memory. On wasm straight from/into the tensor's heap
 * memory (one copy); elsewhere through `dataSync` / `tf.tensor` (two).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from '../kernels/wasm/heap.ts';

const wasmBackend = (): WasmBackendLike | undefined => (tf.getBackend() === 'wasm' ? (tf.backend() as unknown as WasmBackendLike) : undefined);

/** target.set(values of t) — t must be float32. */
export function copyOut(t: tf.Tensor, target: Float32Array, offset: number): void {
  const backend = wasmBackend();
  if (backend && t.dtype === 'float32') target.set(backend.typedArrayFromHeap(t) as Float32Array, offset);
  else target.set(t.dataSync() as Float32Array, offset);
}

/** A new float32 tensor holding a copy of `source`. */
export function tensorFrom(source: Float32Array, shape: number[]): tf.Tensor {
  const backend = wasmBackend();
  if (!backend) return tf.tensor(source.slice(), shape); // a copy: the cpu backend keeps a reference to what it is given
  const info = backend.makeOutput(shape, 'float32');
  (backend.typedArrayFromHeap(info) as Float32Array).set(source);
  return tf.engine().makeTensorFromTensorInfo(info);
}
