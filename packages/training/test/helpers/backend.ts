import * as tf from '@tensorflow/tfjs-core';

/** Activate the cpu backend with every gradient registered (tfjs-core alone lacks them). */
export async function useCpu(): Promise<void> {
  process.env.TUNEKIT_BACKEND = 'cpu';
  await import('@tensorflow/tfjs');
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
  await tf.ready();
  (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
}
