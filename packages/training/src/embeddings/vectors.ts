/**
 * Skip-gram vectors → embedding rows, and the quality check: centred on the mean trained vector
 * (word2vec vectors share a common direction that would dominate every row) and scaled so the
 * entries of the trained rows have standard deviation `targetStd` (one factor for all rows, so
 * relative norms, and so frequency information, survive). Float64 accumulation, fixed order.
 */

export function trainedIds(trained: Uint8Array): number[] {
  const ids: number[] = [];
  for (let id = 0; id < trained.length; id++) if (trained[id]) ids.push(id);
  return ids;
}

/** The rescaled rows of `ids` (ids.length × dim, in the order of ids). */
export function rescaleRows(vectors: Float32Array, dim: number, ids: number[], targetStd: number): Float32Array {
  const mean = new Float64Array(dim);
  for (const id of ids) for (let c = 0; c < dim; c++) mean[c] += vectors[id * dim + c]!;
  for (let c = 0; c < dim; c++) mean[c] /= ids.length;
  let squares = 0;
  for (const id of ids) for (let c = 0; c < dim; c++) squares += (vectors[id * dim + c]! - mean[c]!) ** 2;
  const std = Math.sqrt(squares / (ids.length * dim));
  const scale = std > 0 ? targetStd / std : 0;
  const rows = new Float32Array(ids.length * dim);
  ids.forEach((id, r) => {
    for (let c = 0; c < dim; c++) rows[r * dim + c] = (vectors[id * dim + c]! - mean[c]!) * scale;
  });
  return rows;
}

/** Unit-length copies of the rows (rows × dim). */
function normalise(rows: Float32Array, dim: number): Float32Array {
  const out = new Float32Array(rows.length);
  for (let r = 0; r < rows.length / dim; r++) {
    let norm = 0;
    for (let c = 0; c < dim; c++) norm += rows[r * dim + c]! ** 2;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let c = 0; c < dim; c++) out[r * dim + c] = rows[r * dim + c]! * inv;
  }
  return out;
}

function cosine(unit: Float32Array, dim: number, a: number, b: number): number {
  let dot = 0;
  for (let c = 0; c < dim; c++) dot += unit[a * dim + c]! * unit[b * dim + c]!;
  return dot;
}

export interface Neighbour { token: string; cosine: number }

export interface QualityCheck {
  /** Mean over the `queries` most frequent trained ids of the cosine to their nearest other trained id. */
  mean_nearest_cosine: number;
  /** Mean cosine of fixed pseudo-random pairs of trained ids: the floor the line above should clear. */
  mean_random_pair_cosine: number;
  queries: number;
  /** Nearest trained tokens of each probe that is a single token of the vocabulary. */
  neighbours: Record<string, Neighbour[]>;
  /** Probes that are not a trained single token. */
  missing: string[];
}

/**
 * `rows` are the rows of `ids`; `tokenOf(id)` names an id; `frequency` (by id) picks the queries.
 */
export function qualityCheck(rows: Float32Array, dim: number, ids: number[], counts: Int32Array, probes: Array<{ word: string; id: number | undefined }>, tokenOf: (id: number) => string, queries = 500, k = 5): QualityCheck {
  const unit = normalise(rows, dim);
  const n = ids.length;
  const rowOf = new Map(ids.map((id, r) => [id, r]));
  const nearest = (r: number, count: number): Array<[number, number]> => {
    const best: Array<[number, number]> = [];
    for (let other = 0; other < n; other++) {
      if (other === r) continue;
      const value = cosine(unit, dim, r, other);
      if (best.length < count || value > best[best.length - 1]![1]) {
        best.push([other, value]);
        best.sort((x, y) => y[1] - x[1] || x[0] - y[0]);
        if (best.length > count) best.pop();
      }
    }
    return best;
  };
  const byFrequency = [...ids.keys()].sort((a, b) => counts[ids[b]!]! - counts[ids[a]!]! || a - b).slice(0, Math.min(queries, n));
  let nearestSum = 0;
  for (const r of byFrequency) nearestSum += nearest(r, 1)[0]?.[1] ?? 0;
  let randomSum = 0;
  let state = 0x2545f491;
  for (let i = 0; i < byFrequency.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const a = state % n;
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    randomSum += cosine(unit, dim, a, state % n);
  }
  const neighbours: Record<string, Neighbour[]> = {};
  const missing: string[] = [];
  for (const { word, id } of probes) {
    const r = id === undefined ? undefined : rowOf.get(id);
    if (r === undefined) missing.push(word);
    else neighbours[word] = nearest(r, k).map(([other, value]) => ({ token: tokenOf(ids[other]!), cosine: Number(value.toFixed(4)) }));
  }
  const count = Math.max(1, byFrequency.length);
  return { mean_nearest_cosine: Number((nearestSum / count).toFixed(4)), mean_random_pair_cosine: Number((randomSum / count).toFixed(4)), queries: byFrequency.length, neighbours, missing };
}
