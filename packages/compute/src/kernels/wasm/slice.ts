/**
 * Slice over heap views: tfjs-backend-wasm's Slice first copies the WHOLE input out of the heap
 * (`readSync`) and then copies the slice; here rows are copied straight from the input's view.
 * Any rank: the innermost contiguous run is copied with one `set` per run.
 */
import { Slice, slice_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { originalKernel } from '../names.ts';
import { size, type WasmBackendLike } from './heap.ts';

function slice(args: { inputs: { x: TensorInfo }; attrs: { begin: number | number[]; size: number | number[] }; backend: WasmBackendLike }): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { x } = inputs;
  if (x.dtype === 'string') return originalKernel(Slice)(args as never) as TensorInfo;
  const [begin, extent] = slice_util.parseSliceParams(x as never, attrs.begin, attrs.size);
  const out = backend.makeOutput(extent, x.dtype);
  if (size(extent) === 0) return out;
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const rank = x.shape.length;
  // Merge trailing axes that are taken whole into one contiguous run.
  let run = 1;
  let axis = rank - 1;
  while (axis > 0 && begin[axis] === 0 && extent[axis] === x.shape[axis]) run *= x.shape[axis--];
  run *= extent[axis];
  const strides = new Array<number>(rank);
  strides[rank - 1] = 1;
  for (let i = rank - 2; i >= 0; i--) strides[i] = strides[i + 1] * x.shape[i + 1];
  const outer = size(extent.slice(0, axis));
  const index = new Array<number>(axis).fill(0);
  let o = 0;
  for (let r = 0; r < outer; r++) {
    let offset = begin[axis] * strides[axis];
    for (let i = 0; i < axis; i++) offset += (begin[i] + index[i]) * strides[i];
    dst.set(src.subarray(offset, offset + run), o);
    o += run;
    for (let i = axis - 1; i >= 0; i--) {
      if (++index[i] < extent[i]) break;
      index[i] = 0;
    }
  }
  return out;
}

export const sliceConfig: KernelConfig = { kernelName: Slice, backendName: 'wasm', kernelFunc: slice as unknown as KernelFunc };
