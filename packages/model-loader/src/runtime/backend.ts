import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ExplicitBackend = 'cpu' | 'wasm';

/**
 * Activate a tfjs backend: the one named, or (default) `@tunekit/compute`'s selection
 * (TUNEKIT_BACKEND, else tensorflow > wasm > cpu). Returns the active backend name.
 */
export async function activateBackend(name?: ExplicitBackend): Promise<string> {
  if (!name) {
    const { selectBackend } = await import('@tunekit/compute');
    return (await selectBackend()).backend;
  }
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
    wasm.setWasmPaths(join(dirname(pkg), 'dist') + '/');
  } else if (name === 'cpu') {
    await import('@tensorflow/tfjs-backend-cpu');
  } else {
    throw new Error(`unknown backend "${name as string}" (expected cpu or wasm)`);
  }
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend ${name} does not load`);
  await tf.ready();
  if (name === 'cpu') (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
  return name;
}
