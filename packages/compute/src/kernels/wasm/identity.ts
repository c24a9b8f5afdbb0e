/**
 * Identity without a copy: the output shares the input's buffer (reference-counted by the backend),
 * as tfjs-backend-cpu does. Safe because tfjs tensors are immutable: nothing writes into a tensor's
 * buffer after its kernel returned (Variable.assign swaps buffers, it does not overwrite them).
 * tfjs-backend-wasm copies the whole tensor instead, and autograd and `clone` call Identity a lot.
 */
import { Identity, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { originalKernel } from '../names.ts';
import type { WasmBackendLike } from './heap.ts';

function identity(args: { inputs: { x: TensorInfo }; backend: WasmBackendLike }): TensorInfo {
  const { x } = args.inputs;
  if (x.dtype === 'string') return originalKernel(Identity)(args as never) as TensorInfo;
  args.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export const identityConfig: KernelConfig = { kernelName: Identity, backendName: 'wasm', kernelFunc: identity as unknown as KernelFunc };
