import { describe, expect, it } from '@jest/globals';
import { Worker } from 'node:worker_threads';
import { abortBarrier, arriveAndWait, CONTROL_INTS } from '../../src/parallel/barrier.ts';

const control = () => new Int32Array(new SharedArrayBuffer(CONTROL_INTS * 4));

describe('shared-memory barrier', () => {
  it('lets a single party through and counts generations', () => {
    const ctl = control();
    arriveAndWait(ctl, 1);
    arriveAndWait(ctl, 1);
    expect(Atomics.load(ctl, 1)).toBe(2);
    expect(Atomics.load(ctl, 0)).toBe(0);
  });

  it('releases the last of two parties at once and the first when the second arrives', async () => {
    const ctl = control();
    // The other party, arriving after 100 ms from a worker thread (the last-arriver step of arriveAndWait, inline).
    const worker = new Worker(
      `const { workerData } = require('node:worker_threads');
       const c = workerData; setTimeout(() => {
         if (Atomics.add(c, 0, 1) === 1) { Atomics.store(c, 0, 0); Atomics.add(c, 1, 1); Atomics.notify(c, 1); }
       }, 100);`,
      { eval: true, workerData: ctl },
    );
    const started = performance.now();
    arriveAndWait(ctl, 2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(80);
    expect(Atomics.load(ctl, 1)).toBe(1);
    await worker.terminate();
  });

  it('throws in every waiter once aborted, instead of waiting for a party that failed', () => {
    const ctl = control();
    abortBarrier(ctl);
    expect(() => arriveAndWait(ctl, 2)).toThrow('aborted: another replica failed');
  });
});
