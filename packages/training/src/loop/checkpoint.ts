/**
 * Training checkpoints in the stage's scratch directory (survives a kill): every N optimizer steps
 * a directory `checkpoint-<step>/` with the trainable weights, the optimizer moments and
 * `state.json` (step, epoch, position in the epoch, early-stopping state, history), then
 * `latest.json` is replaced atomically to point at it. A kill mid-write leaves the previous
 * checkpoint in force. The best weights live in `best-<step>.safetensors`.
 */
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { loadTensors, saveTensors, type LoadedTensor } from '@tunekit/strategies';

export const LATEST_FILE = 'latest.json';

export interface CheckpointPointer {
  /** Identifies the training configuration; a checkpoint from another config is ignored. */
  configHash: string;
  dir: string;
  step: number;
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const temp = `${path}.tmp-${process.pid}`;
  await writeFile(temp, JSON.stringify(value, null, 2) + '\n');
  await rename(temp, path);
}

/** `saveTensors` to a temporary file renamed over `path`: a kill mid-write leaves the previous file. */
export async function saveTensorsAtomic(path: string, tensors: Array<[string, tf.Tensor]>): Promise<void> {
  const temp = `${path}.tmp-${process.pid}`;
  await saveTensors(temp, tensors);
  await rename(temp, path);
}

export async function saveCheckpoint<S>(
  root: string,
  configHash: string,
  step: number,
  state: S,
  weights: Array<[string, tf.Tensor]>,
  optimizer: Array<[string, tf.Tensor]>,
): Promise<void> {
  await mkdir(root, { recursive: true });
  const name = `checkpoint-${step}`;
  const dir = join(root, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  await saveTensors(join(dir, 'weights.safetensors'), weights);
  await saveTensors(join(dir, 'optimizer.safetensors'), optimizer);
  await writeJsonAtomic(join(dir, 'state.json'), state);
  await writeJsonAtomic(join(root, LATEST_FILE), { configHash, dir: name, step } satisfies CheckpointPointer);
  for (const entry of await readdir(root)) {
    if (entry.startsWith('checkpoint-') && entry !== name) await rm(join(root, entry), { recursive: true, force: true });
  }
}

export interface LoadedCheckpoint<S> {
  step: number;
  state: S;
  weights: Map<string, LoadedTensor>;
  optimizer: Map<string, LoadedTensor>;
}

/** The latest checkpoint written with `configHash`, or null. */
export async function loadCheckpoint<S>(root: string, configHash: string): Promise<LoadedCheckpoint<S> | null> {
  let pointer: CheckpointPointer;
  try {
    pointer = JSON.parse(await readFile(join(root, LATEST_FILE), 'utf8')) as CheckpointPointer;
  } catch {
    return null;
  }
  if (pointer.configHash !== configHash) return null;
  const dir = join(root, pointer.dir);
  return {
    step: pointer.step,
    state: JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as S,
    weights: await loadTensors(join(dir, 'weights.safetensors')),
    optimizer: await loadTensors(join(dir, 'optimizer.safetensors')),
  };
}

export function bestWeightsPath(root: string): string {
  return join(root, 'best.safetensors');
}
