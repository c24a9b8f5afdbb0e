/**
 * GatherV2 along axis 0 (row lookup, i.e. every embedding) as one block copy per index over heap
 * views; other gathers keep tfjs's kernel. Out-of-range ids are an error, as in tfjs.
 */
import { GatherV2, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { originalKernel } from '../names.ts';
import { size, type WasmBackendLike } from './heap.ts';

function gatherV2(args: { inputs: { x: TensorInfo; indices: TensorInfo }; attrs: { axis: number; batchDims: number }; backend: WasmBackendLike }): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { x, indices } = inputs;
  const axis = attrs.axis < 0 ? attrs.axis + x.shape.length : attrs.axis;
  if (axis !== 0 || attrs.batchDims !== 0 || (x.dtype !== 'float32' && x.dtype !== 'int32') || indices.dtype !== 'int32') {
    return originalKernel(GatherV2)(args as never) as TensorInfo;
  }
  const rows = x.shape[0];
  const inner = size(x.shape.slice(1));
  const count = size(indices.shape);
  const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
  const ids = backend.typedArrayFromHeap(indices) as Int32Array;
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  for (let i = 0; i < count; i++) {
    const id = ids[i];
    if (id < 0 || id >= rows) {
      backend.disposeData(out.dataId);
      throw new Error(`GatherV2: the index value ${id} is not in [0, ${rows - 1}]`);
    }
    dst.set(src.subarray(id * inner, (id + 1) * inner), i * inner);
  }
  return out;
}

export const gatherV2Config: KernelConfig = { kernelName: GatherV2, backendName: 'wasm', kernelFunc: gatherV2 as unknown as KernelFunc };
