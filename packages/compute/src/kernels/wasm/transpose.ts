/**
 * Transpose over heap views, replacing tfjs-backend-wasm's generic C++ loop (one index computation
 * per element, ~6 ns/element here). Two shapes cover every transpose a BERT step does: permutations
 * that keep the last axis (attention's [0,2,1,3] head split: one block copy per run) and batched
 * 2-D transposes (swapping the last two axes: cache-blocked loop). Anything else keeps tfjs's kernel.
 */
import { Transpose, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { originalKernel } from '../names.ts';
import { size, type WasmBackendLike } from './heap.ts';

/** Tile edge of the 2-D transpose: 8×8 tiles measured fastest here (2048×512: 2.8 ms vs 4.8 ms with 32). */
const BLOCK = 8;

const words = (a: Float32Array | Int32Array | Uint8Array): Int32Array => new Int32Array(a.buffer, a.byteOffset, a.byteLength / 4);

/** `batches` row-major [rows, cols] matrices → [cols, rows], tile by tile. */
function transpose2d(src: Int32Array, dst: Int32Array, batches: number, rows: number, cols: number): void {
  for (let b = 0; b < batches; b++) {
    const base = b * rows * cols;
    for (let i0 = 0; i0 < rows; i0 += BLOCK) {
      const iEnd = Math.min(i0 + BLOCK, rows);
      for (let j0 = 0; j0 < cols; j0 += BLOCK) {
        const jEnd = Math.min(j0 + BLOCK, cols);
        for (let i = i0; i < iEnd; i++) {
          const s = base + i * cols;
          for (let j = j0; j < jEnd; j++) dst[base + j * rows + i] = src[s + j];
        }
      }
    }
  }
}

/** Drops size-1 axes and merges axes that stay neighbours, e.g. [2,3,4] perm [2,0,1] → [6,4] perm [1,0]. */
export function simplifyPermutation(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } {
  const nonUnit = shape.map((d, axis) => (d === 1 ? -1 : axis)).filter((axis) => axis >= 0);
  const dims = nonUnit.map((axis) => shape[axis]);
  const kept = perm.filter((axis) => shape[axis] !== 1).map((axis) => nonUnit.indexOf(axis));
  const groups: number[][] = [];
  for (const axis of kept) {
    const last = groups[groups.length - 1];
    if (last && axis === last[last.length - 1] + 1) last.push(axis);
    else groups.push([axis]);
  }
  const order = groups.map((g) => g[0]).sort((a, b) => a - b);
  return {
    shape: order.map((first) => size(groups.find((g) => g[0] === first)!.map((a) => dims[a]))),
    perm: groups.map((g) => order.indexOf(g[0])),
  };
}

function transpose(args: { inputs: { x: TensorInfo }; attrs: { perm: number[] }; backend: WasmBackendLike }): TensorInfo {
  const { inputs, attrs, backend } = args;
  const { x } = inputs;
  const outShape = attrs.perm.map((axis) => x.shape[axis]);
  if (x.dtype !== 'float32' && x.dtype !== 'int32') return originalKernel(Transpose)(args as never) as TensorInfo;
  const { shape, perm } = simplifyPermutation(x.shape, attrs.perm);
  const rank = shape.length;
  const identity = perm.every((axis, i) => axis === i);
  const keepsLast = perm[rank - 1] === rank - 1;
  const swapsLastTwo = rank >= 2 && perm[rank - 1] === rank - 2 && perm[rank - 2] === rank - 1 && perm.slice(0, -2).every((a, i) => a === i);
  if (!identity && !keepsLast && !swapsLastTwo) return originalKernel(Transpose)(args as never) as TensorInfo;

  const out = backend.makeOutput(outShape, x.dtype);
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  if (identity) {
    dst.set(src);
  } else if (swapsLastTwo) {
    // float32 and int32 alike as 32-bit words: one monomorphic loop, bit-exact copies.
    transpose2d(words(src), words(dst), size(shape.slice(0, -2)), shape[rank - 2], shape[rank - 1]);
  } else {
    // Last axis kept: walk the output in order, copying one run of shape[rank-1] elements at a time.
    const run = shape[rank - 1];
    const strides = new Array<number>(rank);
    strides[rank - 1] = 1;
    for (let i = rank - 2; i >= 0; i--) strides[i] = strides[i + 1] * shape[i + 1];
    const outDims = perm.slice(0, -1).map((axis) => shape[axis]);
    const outStrides = perm.slice(0, -1).map((axis) => strides[axis]);
    const index = new Array<number>(rank - 1).fill(0);
    const runs = size(outDims);
    let offset = 0;
    for (let r = 0; r < runs; r++) {
      dst.set(src.subarray(offset, offset + run), r * run);
      for (let i = rank - 2; i >= 0; i--) {
        offset += outStrides[i];
        if (++index[i] < outDims[i]) break;
        offset -= outStrides[i] * outDims[i];
        index[i] = 0;
      }
    }
  }
  return out;
}

export const transposeConfig: KernelConfig = { kernelName: Transpose, backendName: 'wasm', kernelFunc: transpose as unknown as KernelFunc };
