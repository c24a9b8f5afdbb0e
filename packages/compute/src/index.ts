export * from './ops/index.ts';
export * from './backend/index.ts';
export { AdamW, adamwStep, referenceAdamW as adamwUpdate, hfNoDecay, type AdamWHyper, type AdamWSlot, type AdamWOptions } from './optim/adamw.ts';
export { clipByGlobalNorm, globalNorm } from './optim/clip.ts';
export { registerFastKernels, registerMissingKernels, unregisterFastKernels, fastKernelsRegistered, FAST_KERNELS, MISSING_KERNELS } from './kernels/register.ts';
