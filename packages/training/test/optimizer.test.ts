import { beforeAll, describe, expect, test } from '@jest/globals';
import * as tf from '@tensorflow/tfjs-core';
import { NamedAdamW } from '../src/optim/optimizer.ts';
import { useCpu } from './helpers/backend.ts';

beforeAll(() => useCpu());

describe('NamedAdamW weight decay', () => {
  test('decoupled decay shrinks weights by lr·wd; biases and LayerNorm parameters are never decayed', () => {
    const names = [
      'bert.encoder.layer.0.attention.self.query.weight',
      'bert.encoder.layer.0.attention.self.query.bias',
      'bert.encoder.layer.0.attention.output.LayerNorm.weight',
      'bert.embeddings.LayerNorm.bias',
      'classifier.weight',
    ];
    const params = new Map(names.map((n) => [n, tf.variable(tf.fill([3], 2), true, n)]));
    const optimizer = new NamedAdamW(params, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.5 });
    // A zero gradient makes the Adam update zero, so only the decoupled decay moves a parameter.
    optimizer.apply(new Map(names.map((n) => [n, tf.zeros([3])])), 0.1);
    const value = (n: string) => Array.from(params.get(n)!.dataSync());
    for (const x of value('bert.encoder.layer.0.attention.self.query.weight')) expect(x).toBeCloseTo(2 * (1 - 0.1 * 0.5), 6);
    expect(value('classifier.weight')).toEqual(value('bert.encoder.layer.0.attention.self.query.weight'));
    for (const n of names.filter((x) => x.endsWith('.bias') || x.includes('LayerNorm'))) expect(value(n)).toEqual([2, 2, 2]);
    optimizer.dispose();
    tf.dispose([...params.values()]);
  });
});
