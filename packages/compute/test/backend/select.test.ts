import { describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { chooseBackend, defaultLoaders } from '../../src/backend/index.ts';

const failingTfjsNode = async () => {
  throw new Error("Cannot find module '@tensorflow/tfjs-node'");
};

describe('chooseBackend', () => {
  it('uses the backend TUNEKIT_BACKEND names (cpu)', async () => {
    const selected = await chooseBackend({ env: { TUNEKIT_BACKEND: 'cpu' } });
    expect(selected).toEqual({ backend: 'cpu', threads: 1, skipped: [] });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('uses the backend TUNEKIT_BACKEND names (wasm) and reports its thread count', async () => {
    const selected = await chooseBackend({ env: { TUNEKIT_BACKEND: 'wasm' } });
    expect(selected.backend).toBe('wasm');
    expect(selected.threads).toBeGreaterThanOrEqual(1);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('fails with a clear error when the forced backend does not load', async () => {
    await expect(chooseBackend({ env: { TUNEKIT_BACKEND: 'tensorflow' }, loaders: { tensorflow: failingTfjsNode } })).rejects.toThrow(
      "TUNEKIT_BACKEND=tensorflow but that backend does not load (tensorflow: Cannot find module '@tensorflow/tfjs-node')",
    );
  });

  it('rejects a TUNEKIT_BACKEND that names no backend, listing the valid ones', async () => {
    await expect(chooseBackend({ env: { TUNEKIT_BACKEND: 'webgl' } })).rejects.toThrow('TUNEKIT_BACKEND="webgl" is not a backend: expected one of tensorflow, wasm, cpu');
  });

  it('falls back to wasm when tfjs-node does not load, saying why', async () => {
    const selected = await chooseBackend({ env: {}, loaders: { tensorflow: failingTfjsNode } });
    expect(selected.backend).toBe('wasm');
    expect(selected.skipped).toEqual(["tensorflow: Cannot find module '@tensorflow/tfjs-node'"]);
  });

  it('falls back to cpu when neither tfjs-node nor wasm loads', async () => {
    const selected = await chooseBackend({
      env: {},
      loaders: { tensorflow: failingTfjsNode, wasm: async () => Promise.reject(new Error('no WebAssembly')) },
    });
    expect(selected.backend).toBe('cpu');
    expect(selected.skipped).toEqual(["tensorflow: Cannot find module '@tensorflow/tfjs-node'", 'wasm: no WebAssembly']);
  });

  it('prefers tensorflow when tfjs-node loads and registers its backend', async () => {
    const calls: string[] = [];
    tf.registerBackend('tensorflow', () => tf.findBackend('cpu')!, 0);
    try {
      const selected = await chooseBackend({ env: {}, loaders: { ...defaultLoaders, tensorflow: async () => void calls.push('tensorflow') } });
      expect(selected.backend).toBe('tensorflow');
      expect(calls).toEqual(['tensorflow']);
    } finally {
      await tf.setBackend('cpu');
      tf.removeBackend('tensorflow');
    }
  });
});
