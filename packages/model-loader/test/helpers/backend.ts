import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type TestBackend = 'cpu' | 'wasm';

/** Activate a tfjs backend explicitly (and the gradient registry, which tfjs-core alone lacks). */
export async function useBackend(name: TestBackend): Promise<void> {
  await import('@tensorflow/tfjs'); // registers every gradient function
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
    wasm.setWasmPaths(join(dirname(pkg), 'dist') + '/');
  } else {
    await import('@tensorflow/tfjs-backend-cpu');
  }
  if (!(await tf.setBackend(name))) throw new Error(`cannot activate tfjs backend ${name}`);
  await tf.ready();
  // tfjs-backend-cpu prints advice to install tfjs-node on first use; the choice is deliberate here.
  if (name === 'cpu') (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
}
