/// <reference path="webassembly.d.ts" />
/** Messages between `startDataParallel` (main thread) and its replica workers. */
import type { ParamLayout } from './layout.ts';
import type { SharedLayout } from './memory.ts';

export interface OptimizerConfig {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Global-norm gradient clipping (torch `clip_grad_norm_`); 0 or Infinity turns it off. */
  maxGradNorm: number;
}

export interface WorkerInit {
  moduleUrl: string;
  rank: number;
  worldSize: number;
  options: unknown;
  backend?: string;
}

export type ToWorker =
  | { type: 'buffers'; memory: WebAssembly.Memory; shared: SharedLayout; optimizer: OptimizerConfig }
  | { type: 'step'; step: number; lr: number; data?: unknown };

export type FromWorker =
  | { type: 'ready'; layout: ParamLayout; backend: string }
  | { type: 'published' }
  | { type: 'stepped'; loss: number; gradNorm: number }
  | { type: 'error'; message: string; stack?: string };
