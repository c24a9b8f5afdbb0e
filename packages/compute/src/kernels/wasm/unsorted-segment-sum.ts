/**
 * UnsortedSegmentSum for wasm (tfjs-backend-wasm 4.22 has none; it is the gradient of `gather`, i.e.
 * of every embedding lookup). out[segmentIds[i], ...] += x[i, ...], rows of `x` summed into
 * `numSegments` rows; ids outside [0, numSegments) are dropped, as TensorFlow does.
 */
import { UnsortedSegmentSum, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { f32, i32, size, type WasmBackendLike } from './heap.ts';

function unsortedSegmentSum(args: { inputs: { x: TensorInfo; segmentIds: TensorInfo }; attrs: { numSegments: number }; backend: WasmBackendLike }): TensorInfo {
  const { x, segmentIds } = args.inputs;
  const { numSegments } = args.attrs;
  const backend = args.backend;
  const rows = size(segmentIds.shape);
  const inner = size(x.shape) / rows;
  const out = backend.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], 'float32');
  const o = f32(backend, out);
  o.fill(0);
  const xs = f32(backend, x);
  const ids = i32(backend, segmentIds);
  for (let r = 0; r < rows; r++) {
    const id = ids[r];
    if (id < 0 || id >= numSegments) continue;
    const src = r * inner;
    const dst = id * inner;
    for (let j = 0; j < inner; j++) o[dst + j] += xs[src + j];
  }
  return out;
}

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as KernelFunc,
};
