export * from './ops/index.ts';
export * from './backend/index.ts';
export { AdamW, adamwStep, referenceAdamW as adamwUpdate, hfNoDecay, type AdamWHyper, type AdamWSlot, type AdamWOptions } from './optim/adamw.ts';
export { clipByGlobalNorm, globalNorm } from './optim/clip.ts';
export { registerFastKernels, registerMissingKernels, unregisterFastKernels, fastKernelsRegistered, FAST_KERNELS, MISSING_KERNELS } from './kernels/register.ts';
export { startDataParallel, type DataParallel, type DataParallelOptions } from './parallel/data-parallel.ts';
export type { CreateReplica, Replica, ReplicaContext, ReplicaStep } from './parallel/replica.ts';
export type { OptimizerConfig } from './parallel/protocol.ts';
export { defaultWorkerCount, WORKERS_ENV } from './parallel/worker-count.ts';
