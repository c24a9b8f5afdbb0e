/**
 * GELU (erf form) and its gradient as single-pass kernels for wasm (over heap views) and cpu.
 * The plain-ops version (erf, then its gradient through exp/square/neg/cast) costs ~8 full-size
 * kernel launches per layer and wasm's scalar `Erf`/`Exp`.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { gelu, geluGrad } from './math.ts';

export const GELU_KERNEL = 'TunekitGelu';
export const GELU_GRAD_KERNEL = 'TunekitGeluGrad';

interface CpuBackendLike {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: string, values: Float32Array): TensorInfo;
}
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

type Elementwise = (out: Float32Array, ...inputs: Float32Array[]) => void;

function forBackends(kernelName: string, inputNames: string[], fn: Elementwise): KernelConfig[] {
  const check = (inputs: Record<string, TensorInfo>) => {
    for (const name of inputNames) if (inputs[name].dtype !== 'float32') throw new Error(`${kernelName}: ${name} must be float32`);
    return inputNames.map((name) => inputs[name]);
  };
  const wasm = ({ inputs, backend }: { inputs: Record<string, TensorInfo>; backend: WasmBackendLike }) => {
    const infos = check(inputs);
    const out = backend.makeOutput(infos[0].shape, 'float32');
    fn(backend.typedArrayFromHeap(out), ...infos.map((info) => backend.typedArrayFromHeap(info)));
    return out;
  };
  const cpu = ({ inputs, backend }: { inputs: Record<string, TensorInfo>; backend: CpuBackendLike }) => {
    const infos = check(inputs);
    const values = new Float32Array(infos[0].shape.reduce((a, b) => a * b, 1));
    fn(values, ...infos.map((info) => backend.data.get(info.dataId).values));
    return backend.makeTensorInfo(infos[0].shape, 'float32', values);
  };
  return [
    { kernelName, backendName: 'wasm', kernelFunc: wasm as unknown as KernelFunc },
    { kernelName, backendName: 'cpu', kernelFunc: cpu as unknown as KernelFunc },
  ];
}

export const geluKernels: KernelConfig[] = [...forBackends(GELU_KERNEL, ['x'], gelu), ...forBackends(GELU_GRAD_KERNEL, ['dy', 'x'], geluGrad)];
