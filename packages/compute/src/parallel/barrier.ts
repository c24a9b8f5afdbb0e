/**
 * A reusable barrier for the replicas of one data-parallel run, over an Int32Array in shared memory
 * (sense by generation: the last to arrive resets the count and bumps the generation). Waiting
 * wakes every 50 ms to check the abort flag, which the main thread sets when any replica fails, so
 * that no replica stays blocked on one that will never arrive.
 */
export const CONTROL_INTS = 4;
const COUNT = 0;
const GENERATION = 1;
const ABORT = 2;

export function arriveAndWait(control: Int32Array, parties: number): void {
  const generation = Atomics.load(control, GENERATION);
  if (Atomics.add(control, COUNT, 1) === parties - 1) {
    Atomics.store(control, COUNT, 0);
    Atomics.add(control, GENERATION, 1);
    Atomics.notify(control, GENERATION);
    return;
  }
  while (Atomics.load(control, GENERATION) === generation) {
    if (Atomics.load(control, ABORT) !== 0) throw new Error('aborted: another replica failed');
    Atomics.wait(control, GENERATION, generation, 50);
  }
}

/** Main thread: make every waiting or future `arriveAndWait` throw. */
export function abortBarrier(control: Int32Array): void {
  Atomics.store(control, ABORT, 1);
  Atomics.notify(control, GENERATION);
}
