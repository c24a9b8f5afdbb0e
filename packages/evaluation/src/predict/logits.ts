/**
 * Runs a classification model over the rows of an encoded split in batches and returns the logits
 * as one flat Float32Array: [rows × seqLen × labels] (token classification) or [rows × labels]
 * (sequence classification). Eval mode (no dropout); tensors are disposed batch by batch.
 */
import type { EncodedSplit } from '@tunekit/data-prep';
import type { BertModel } from '@tunekit/model-loader';

export async function splitLogits(
  model: BertModel,
  split: EncodedSplit,
  options: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<Float32Array> {
  const tf = await import('@tensorflow/tfjs-core');
  const batchSize = options.batchSize ?? 32;
  const L = split.seqLen;
  const tokenLevel = model.head === 'token-classification';
  const labels = Number(Object.keys(model.config.id2label ?? {}).length);
  const out = new Float32Array(split.numRows * (tokenLevel ? L : 1) * labels);
  for (let start = 0; start < split.numRows; start += batchSize) {
    const rows = Math.min(batchSize, split.numRows - start);
    const slice = (a: Int32Array) => tf.tensor2d(a.subarray(start * L, (start + rows) * L), [rows, L], 'int32');
    const inputIds = slice(split.inputIds);
    const attentionMask = slice(split.attentionMask);
    const tokenTypeIds = slice(split.tokenTypeIds);
    try {
      const outputs = model.forward({ inputIds, attentionMask, tokenTypeIds }, { training: false });
      if (!outputs.logits) throw new Error('the model returned no logits (no classification head)');
      const values = (await outputs.logits.data()) as Float32Array;
      if (values.length !== rows * (tokenLevel ? L : 1) * labels) throw new Error(`logits have ${values.length} values, expected ${rows * (tokenLevel ? L : 1) * labels}`);
      out.set(values, start * (tokenLevel ? L : 1) * labels);
      tf.dispose([outputs.lastHiddenState, outputs.pooled, outputs.logits, ...(outputs.hiddenStates ?? [])].filter((t) => t !== undefined));
    } finally {
      tf.dispose([inputIds, attentionMask, tokenTypeIds]);
    }
    options.onProgress?.(start + rows, split.numRows);
  }
  return out;
}
