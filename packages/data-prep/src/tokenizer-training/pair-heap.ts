/**
 * Max-heap of (count, left id, right id) for BPE-style merge selection: highest count first, ties
 * broken by the smaller (left, right) pair, so the merge order is fully deterministic.
 * Entries are "lazy": the trainer pushes a pair again whenever its count changes and skips popped
 * entries whose count is stale.
 */
export class PairHeap {
  private readonly counts: number[] = [];
  private readonly lefts: number[] = [];
  private readonly rights: number[] = [];

  get size(): number {
    return this.counts.length;
  }

  push(count: number, left: number, right: number): void {
    this.counts.push(count);
    this.lefts.push(left);
    this.rights.push(right);
    this.up(this.counts.length - 1);
  }

  /** Remove and return the top entry, or undefined when empty. */
  pop(): [count: number, left: number, right: number] | undefined {
    const n = this.counts.length;
    if (n === 0) return undefined;
    const top: [number, number, number] = [this.counts[0]!, this.lefts[0]!, this.rights[0]!];
    const lastCount = this.counts.pop()!;
    const lastLeft = this.lefts.pop()!;
    const lastRight = this.rights.pop()!;
    if (n > 1) {
      this.counts[0] = lastCount;
      this.lefts[0] = lastLeft;
      this.rights[0] = lastRight;
      this.down(0);
    }
    return top;
  }

  private before(i: number, j: number): boolean {
    if (this.counts[i] !== this.counts[j]) return this.counts[i]! > this.counts[j]!;
    if (this.lefts[i] !== this.lefts[j]) return this.lefts[i]! < this.lefts[j]!;
    return this.rights[i]! < this.rights[j]!;
  }

  private swap(i: number, j: number): void {
    [this.counts[i], this.counts[j]] = [this.counts[j]!, this.counts[i]!];
    [this.lefts[i], this.lefts[j]] = [this.lefts[j]!, this.lefts[i]!];
    [this.rights[i], this.rights[j]] = [this.rights[j]!, this.rights[i]!];
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.counts.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < n && this.before(l, best)) best = l;
      if (r < n && this.before(r, best)) best = r;
      if (best === i) return;
      this.swap(i, best);
      i = best;
    }
  }
}
