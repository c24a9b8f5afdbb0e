/**
 * Deterministic masked-LM evaluation data: documents → `[CLS] ids [SEP]` rows of at most
 * `maxLength`, then a seeded choice of positions replaced by `[MASK]` (every chosen position is
 * masked — no 80/10/10, which only matters for training — and each row gets at least one).
 */
import { mulberry32 } from '@tunekit/pipeline/sdk';

export interface MaskedRows {
  seqLen: number;
  /** [rows × seqLen] input ids with [MASK] at the chosen positions, padded. */
  inputIds: Int32Array;
  attentionMask: Int32Array;
  /** [rows × seqLen] original id at masked positions, -1 elsewhere. */
  targets: Int32Array;
  rows: number;
  masked: number;
}

export function maskedRows(
  documents: readonly number[][],
  special: { clsId: number; sepId: number; padId: number; maskId: number },
  options: { maxLength: number; maxRows: number; maskProbability: number; seed: number },
): MaskedRows {
  const capacity = options.maxLength - 2;
  const chunks: number[][] = [];
  for (const ids of documents) {
    for (let i = 0; i < ids.length && chunks.length < options.maxRows; i += capacity) chunks.push(ids.slice(i, i + capacity));
    if (chunks.length >= options.maxRows) break;
  }
  const L = options.maxLength;
  const rows = chunks.length;
  const inputIds = new Int32Array(rows * L).fill(special.padId);
  const attentionMask = new Int32Array(rows * L);
  const targets = new Int32Array(rows * L).fill(-1);
  const random = mulberry32(options.seed);
  let masked = 0;
  chunks.forEach((chunk, r) => {
    const row = [special.clsId, ...chunk, special.sepId];
    row.forEach((id, t) => {
      inputIds[r * L + t] = id;
      attentionMask[r * L + t] = 1;
    });
    const chosen = chunk.map(() => random() < options.maskProbability);
    if (!chosen.includes(true) && chunk.length > 0) chosen[Math.floor(random() * chunk.length)] = true;
    chosen.forEach((isMasked, i) => {
      if (!isMasked) return;
      const t = i + 1;
      targets[r * L + t] = chunk[i]!;
      inputIds[r * L + t] = special.maskId;
      masked += 1;
    });
  });
  return { seqLen: L, inputIds, attentionMask, targets, rows, masked };
}
