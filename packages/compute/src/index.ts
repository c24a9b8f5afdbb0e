export * from './ops/index.ts';
export * from './backend/index.ts';
export { AdamW, adamwStep, referenceAdamW, hfNoDecay, type AdamWHyper, type AdamWSlot, type AdamWOptions } from './optim/adamw.ts';
export { clipByGlobalNorm, globalNorm } from './optim/clip.ts';
export { registerFastKernels, unregisterFastKernels, fastKernelsRegistered, FAST_KERNELS } from './kernels/register.ts';
