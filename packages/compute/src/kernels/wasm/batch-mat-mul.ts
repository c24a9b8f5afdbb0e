/**
 * BatchMatMul for wasm that always reaches XNNPACK. tfjs-backend-wasm 4.22 sends a matMul to
 * XNNPACK only when it is one 2-D product without transpose flags; everything else (batched
 * products, transposeA/B, which autograd uses for every dense layer's gradients and attention)
 * runs a scalar loop 10–40x slower. Here transposed operands are transposed explicitly (the C++
 * Transpose kernel), and a batch runs as one XNNPACK product per batch entry over alias ids
 * (sub-ranges of the operands, no copies). When only `a` is batched and not transposed, the batch
 * folds into the rows of one product.
 *
 * When OpenBLAS is available (`../gemm.ts`) every float32 product goes to its sgemm instead, straight
 * over the wasm heap: transpose flags and batches (including a broadcast operand) need no copies.
 */
import { BatchMatMul, backend_util, getKernel, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { originalKernel } from '../names.ts';
import { alias, cppId, releaseAlias, size, type WasmBackendLike } from './heap.ts';
import { activeGemm } from '../gemm.ts';
import { heapF32, heapIndex } from '../native/heap.ts';
import type { OpenBlas } from '@tunekit/native';

type CppBatchMatMul = (aId: number, aShape: Uint8Array, aRank: number, bId: number, bShape: Uint8Array, bRank: number, transposeA: boolean, transposeB: boolean, outId: number) => void;

let cppBatchMatMul: CppBatchMatMul | undefined;

const shapeBytes = (shape: number[]) => new Uint8Array(new Int32Array(shape).buffer);

/** Swaps the last two axes with the backend's Transpose kernel (a new tensor the caller disposes). */
function transposeLast2(backend: WasmBackendLike, x: TensorInfo): TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
  const kernel = getKernel('Transpose', 'wasm')!;
  return kernel.kernelFunc({ inputs: { x }, attrs: { perm }, backend: backend as never }) as TensorInfo;
}

function batchMatMul(args: { inputs: { a: TensorInfo; b: TensorInfo }; attrs: { transposeA: boolean; transposeB: boolean }; backend: WasmBackendLike }): TensorInfo {
  const { inputs, attrs, backend } = args;
  let { a, b } = inputs;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return originalKernel(BatchMatMul)(args as never) as TensorInfo;
  const batchA = size(a.shape.slice(0, -2));
  const batchB = size(b.shape.slice(0, -2));
  const sameBatch = batchA === batchB && a.shape.length === b.shape.length;
  const { openblas } = activeGemm();
  if (openblas) {
    const outer = backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const batch = size(outer);
    if ((batchA === batch || batchA === 1) && (batchB === batch || batchB === 1)) return openblasMatMul(backend, openblas, a, b, outer, attrs);
  }
  if (!sameBatch && batchB !== 1) return originalKernel(BatchMatMul)(args as never) as TensorInfo; // general broadcasting: keep tfjs's kernel

  if (attrs.transposeA && !attrs.transposeB && sameBatch && size(b.shape) < size(a.shape)) {
    // aᵀ·b = (bᵀ·a)ᵀ: transpose the smaller operand (and the small result) rather than the larger one —
    // a weight gradient Xᵀ·dY over 2,048 tokens transposes dY [2048, out] instead of X [2048, in].
    // Same products summed in the same order: bit-identical (test/kernels).
    const swapped = batchMatMul({ inputs: { a: b, b: a }, attrs: { transposeA: true, transposeB: false }, backend });
    const out = transposeLast2(backend, swapped);
    backend.disposeData(swapped.dataId);
    return out;
  }
  const temps: TensorInfo[] = [];
  if (attrs.transposeA) temps.push((a = transposeLast2(backend, a)));
  if (attrs.transposeB) temps.push((b = transposeLast2(backend, b)));
  const [m, k] = a.shape.slice(-2);
  const n = b.shape[b.shape.length - 1];
  if (b.shape[b.shape.length - 2] !== k) {
    throw new Error(`Error in matMul: inner shapes (${k}) and (${b.shape[b.shape.length - 2]}) of Tensors with shapes ${inputs.a.shape} and ${inputs.b.shape} must match.`);
  }
  const outShape = [...(batchA >= batchB ? a.shape : b.shape).slice(0, -2), m, n];
  const out = backend.makeOutput(outShape, 'float32');
  if (k === 0) {
    // XNNPACK leaves the output unwritten for an empty inner dimension; the product is all zeros.
    (backend.typedArrayFromHeap(out) as Float32Array).fill(0);
    for (const t of temps) backend.disposeData(t.dataId);
    return out;
  }

  if (batchB === 1) {
    // Fold a's batch into rows: one [batchA·m, k] × [k, n] product.
    cppBatchMatMul!(cppId(backend, a), shapeBytes([1, batchA * m, k]), 3, cppId(backend, b), shapeBytes([1, k, n]), 3, false, false, cppId(backend, out));
  } else {
    const aShape = shapeBytes([1, m, k]);
    const bShape = shapeBytes([1, k, n]);
    for (let g = 0; g < batchA; g++) {
      const ids = [alias(backend, a, g * m * k, m * k), alias(backend, b, g * k * n, k * n), alias(backend, out, g * m * n, m * n)];
      cppBatchMatMul!(ids[0], aShape, 3, ids[1], bShape, 3, false, false, ids[2]);
      for (const id of ids) releaseAlias(backend, id);
    }
  }
  for (const t of temps) backend.disposeData(t.dataId);
  return out;
}

/** The whole product as OpenBLAS sgemm calls over the wasm heap (one call; batches loop in C). */
function openblasMatMul(backend: WasmBackendLike, blas: OpenBlas, a: TensorInfo, b: TensorInfo, outer: number[], attrs: { transposeA: boolean; transposeB: boolean }): TensorInfo {
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const [m, k] = attrs.transposeA ? [ac, ar] : [ar, ac];
  const [kb, n] = attrs.transposeB ? [bc, br] : [br, bc];
  if (kb !== k) {
    throw new Error(`Error in matMul: inner shapes (${k}) and (${kb}) of Tensors with shapes ${a.shape} and ${b.shape} and transposeA=${attrs.transposeA} and transposeB=${attrs.transposeB} must match.`);
  }
  const batchA = size(a.shape.slice(0, -2));
  const batchB = size(b.shape.slice(0, -2));
  const batch = size(outer);
  const out = backend.makeOutput([...outer, m, n], 'float32');
  const offset = (info: TensorInfo) => heapIndex(backend, info);
  const heap = heapF32(backend); // after makeOutput: the heap may have grown
  if (batchB === 1 && !attrs.transposeA) {
    // a's batch folds into rows: one [batch·m, k] product, the shape GEMM likes best.
    blas.sgemm(heap, 1, batch * m, n, k, false, attrs.transposeB, offset(a), 0, offset(b), 0, offset(out), 0);
  } else {
    const stride = (count: number, rows: number, cols: number) => (count === 1 ? 0 : rows * cols);
    blas.sgemm(heap, batch, m, n, k, attrs.transposeA, attrs.transposeB, offset(a), stride(batchA, m, k), offset(b), stride(batchB, k, n), offset(out), m * n);
  }
  return out;
}

export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  setupFunc: (backend) => {
    activeGemm(); // a bad TUNEKIT_GEMM fails at backend selection, not at the first matMul
    cppBatchMatMul = (backend as unknown as WasmBackendLike).wasm.cwrap(BatchMatMul, null, ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number']) as CppBatchMatMul;
  },
  kernelFunc: batchMatMul as unknown as KernelFunc,
};
