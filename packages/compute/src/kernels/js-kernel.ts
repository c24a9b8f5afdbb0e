/**
 * Registers a kernel written in JavaScript for both wasm (inputs read as heap views) and cpu.
 * `registerJsKernel`: `compute` gets float32 inputs and returns new arrays with their shapes; the
 * adapter copies them into backend tensors (one copy per output, small next to the work these
 * kernels save). `registerJsKernelInto`: the output shapes are declared up front and `compute`
 * writes straight into the backend's output buffers (no temporaries; for large element-wise work).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './wasm/heap.ts';

export interface JsOutput {
  shape: number[];
  values: Float32Array;
}
export type JsCompute = (inputs: Float32Array[], shapes: number[][], attrs: Record<string, unknown>) => JsOutput[];

interface WasmLike {
  makeOutput(shape: number[], dtype: string): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}
interface CpuLike {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo;
}

/** The named inputs in order, each checked to be float32. */
function float32Inputs(kernelName: string, inputNames: string[]): (inputs: tf.NamedTensorInfoMap) => tf.TensorInfo[] {
  return (inputs) =>
    inputNames.map((name) => {
      const info = inputs[name];
      if (!info || info.dtype !== 'float32') throw new Error(`${kernelName}: input ${name} must be a float32 tensor`);
      return info;
    });
}

function registerOnWasmAndCpu(kernelName: string, wasm: tf.KernelFunc, cpu: tf.KernelFunc): void {
  for (const [backendName, kernelFunc] of [['wasm', wasm], ['cpu', cpu]] as const) {
    if (!tf.getKernel(kernelName, backendName)) tf.registerKernel({ kernelName, backendName, kernelFunc });
  }
}

/** A native version of a kernel on wasm: its outputs, or undefined to run the JavaScript one. */
export type NativeWasmKernel = (backend: WasmBackendLike, inputs: tf.TensorInfo[], attrs: Record<string, unknown>) => tf.TensorInfo[] | undefined;

export function registerJsKernel(kernelName: string, inputNames: string[], compute: JsCompute, nativeWasm?: NativeWasmKernel): void {
  const infos = float32Inputs(kernelName, inputNames);
  const wasm: tf.KernelFunc = ({ inputs, attrs, backend }) => {
    const b = backend as unknown as WasmLike;
    const ins = infos(inputs);
    const native = nativeWasm?.(backend as unknown as WasmBackendLike, ins, attrs as Record<string, unknown>);
    if (native) return native;
    const results = compute(ins.map((i) => b.typedArrayFromHeap(i)), ins.map((i) => i.shape), attrs as Record<string, unknown>);
    return results.map(({ shape, values }) => {
      const out = b.makeOutput(shape, 'float32');
      b.typedArrayFromHeap(out).set(values);
      return out;
    });
  };
  const cpu: tf.KernelFunc = ({ inputs, attrs, backend }) => {
    const b = backend as unknown as CpuLike;
    const ins = infos(inputs);
    const results = compute(ins.map((i) => b.data.get(i.dataId).values), ins.map((i) => i.shape), attrs as Record<string, unknown>);
    return results.map(({ shape, values }) => b.makeTensorInfo(shape, 'float32', values));
  };
  registerOnWasmAndCpu(kernelName, wasm, cpu);
}

export type JsComputeInto = (inputs: Float32Array[], outputs: Float32Array[], shapes: number[][], attrs: Record<string, unknown>) => void;

export function registerJsKernelInto(kernelName: string, inputNames: string[], outputShapes: (shapes: number[][]) => number[][], compute: JsComputeInto): void {
  const infos = float32Inputs(kernelName, inputNames);
  const wasm: tf.KernelFunc = ({ inputs, attrs, backend }) => {
    const b = backend as unknown as WasmLike;
    const ins = infos(inputs);
    const shapes = ins.map((i) => i.shape);
    // Allocate first: an allocation can grow the heap and detach earlier views.
    const outs = outputShapes(shapes).map((shape) => b.makeOutput(shape, 'float32'));
    compute(ins.map((i) => b.typedArrayFromHeap(i)), outs.map((o) => b.typedArrayFromHeap(o)), shapes, attrs as Record<string, unknown>);
    return outs;
  };
  const cpu: tf.KernelFunc = ({ inputs, attrs, backend }) => {
    const b = backend as unknown as CpuLike;
    const ins = infos(inputs);
    const shapes = ins.map((i) => i.shape);
    const outShapes = outputShapes(shapes);
    const outs = outShapes.map((shape) => new Float32Array(shape.reduce((a, c) => a * c, 1)));
    compute(ins.map((i) => b.data.get(i.dataId).values), outs, shapes, attrs as Record<string, unknown>);
    return outs.map((values, i) => b.makeTensorInfo(outShapes[i]!, 'float32', values));
  };
  registerOnWasmAndCpu(kernelName, wasm, cpu);
}
