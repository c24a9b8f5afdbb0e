/// <reference path="webassembly.d.ts" />
/**
 * The one shared WebAssembly memory of a data-parallel run: a control block (barrier, each rank's
 * sum of squares), every rank's gradient slot, the parameters, and per rank the summed gradient and
 * Adam moments of the range it owns. Byte offsets, each region 16-byte aligned (SIMD loads).
 */
import { CONTROL_INTS } from './barrier.ts';
import { ownedRange } from './layout.ts';

export interface RankRegions {
  summed: number;
  m: number;
  v: number;
}

export interface SharedLayout {
  /** Int32 control block of the barrier (barrier.ts). */
  control: number;
  /** One float64 per rank: the sum of squares of its reduced range. */
  sumSquares: number;
  /** Byte offset of each rank's gradient slot (`total` floats). */
  grads: number[];
  params: number;
  ranks: RankRegions[];
  bytes: number;
}

const PAGE = 65536;
const align16 = (n: number) => Math.ceil(n / 16) * 16;

export function sharedLayout(total: number, worldSize: number): SharedLayout {
  let offset = 0;
  const take = (floats: number) => {
    const at = offset;
    offset = align16(offset + floats * 4);
    return at;
  };
  const control = take(CONTROL_INTS);
  const sumSquares = take(worldSize * 2);
  const grads = Array.from({ length: worldSize }, () => take(total));
  const params = take(total);
  const ranks = Array.from({ length: worldSize }, (_, r) => {
    const { start, end } = ownedRange(total, r, worldSize);
    return { summed: take(end - start), m: take(end - start), v: take(end - start) };
  });
  return { control, sumSquares, grads, params, ranks, bytes: offset };
}

/** A shared, fixed-size memory for `layout` (zeroed: Adam moments start at 0). */
export function allocateShared(layout: SharedLayout): WebAssembly.Memory {
  const pages = Math.max(1, Math.ceil(layout.bytes / PAGE));
  if (pages > 65536) throw new Error(`data-parallel: ${layout.bytes} bytes of shared state exceed WebAssembly's 4 GiB`);
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
}
