/** The rows the loops train on: an encoded split seen as fixed-length rows of token ids (+ labels). */
export interface Rows {
  numRows: number;
  seqLen: number;
  inputIds: Int32Array;
  attentionMask: Int32Array;
  tokenTypeIds: Int32Array;
  /** Per token ([numRows·seqLen], -100 ignored) or per row ([numRows]); absent for MLM. */
  labels?: Int32Array;
  labelsPerToken: boolean;
}

/** Real tokens in each row (attention mask ones; padding is on the right). */
export function rowLengths(rows: Rows): Int32Array {
  const lengths = new Int32Array(rows.numRows);
  for (let r = 0; r < rows.numRows; r++) {
    let n = 0;
    const base = r * rows.seqLen;
    for (let p = 0; p < rows.seqLen; p++) n += rows.attentionMask[base + p]!;
    lengths[r] = n;
  }
  return lengths;
}
