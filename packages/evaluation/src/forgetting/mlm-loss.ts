/** Mean cross-entropy of a masked-LM model at the masked positions of `MaskedRows`. */
import type { BertModel } from '@tunekit/model-loader';
import type { MaskedRows } from './masked-sequences.ts';

export async function maskedLmLoss(model: BertModel, data: MaskedRows, batchSize = 8, onProgress?: (done: number, total: number) => void): Promise<number> {
  if (model.head !== 'masked-lm') throw new Error(`masked-LM loss needs a masked-lm head, found ${model.head}`);
  const tf = await import('@tensorflow/tfjs-core');
  const L = data.seqLen;
  const V = Number(model.config.vocab_size);
  let total = 0;
  let count = 0;
  for (let start = 0; start < data.rows; start += batchSize) {
    const rows = Math.min(batchSize, data.rows - start);
    const ids = tf.tensor2d(data.inputIds.subarray(start * L, (start + rows) * L), [rows, L], 'int32');
    const mask = tf.tensor2d(data.attentionMask.subarray(start * L, (start + rows) * L), [rows, L], 'int32');
    try {
      const out = model.forward({ inputIds: ids, attentionMask: mask }, { training: false });
      const logits = (await out.logits!.data()) as Float32Array;
      tf.dispose([out.lastHiddenState, out.pooled, out.logits].filter((t) => t !== undefined));
      for (let p = 0; p < rows * L; p++) {
        const target = data.targets[start * L + p]!;
        if (target < 0) continue;
        const o = p * V;
        let max = -Infinity;
        for (let v = 0; v < V; v++) max = Math.max(max, logits[o + v]!);
        let sum = 0;
        for (let v = 0; v < V; v++) sum += Math.exp(logits[o + v]! - max);
        total += max + Math.log(sum) - logits[o + target]!;
        count += 1;
      }
    } finally {
      tf.dispose([ids, mask]);
    }
    onProgress?.(start + rows, data.rows);
  }
  if (count === 0) throw new Error('no masked position to score');
  return total / count;
}

/** Copy every encoder parameter (`bert.*`) of `source` into `target` (same names and shapes). */
export function copyEncoder(source: BertModel, target: BertModel): number {
  let copied = 0;
  for (const [name, variable] of target.params) {
    if (!name.startsWith('bert.')) continue;
    const value = source.params.get(name);
    if (!value) continue;
    if (value.shape.join(',') !== variable.shape.join(',')) throw new Error(`${name}: fine-tuned shape [${value.shape}] differs from the base [${variable.shape}]`);
    variable.assign(value);
    copied += 1;
  }
  if (copied === 0) throw new Error('the fine-tuned model shares no encoder parameter (bert.*) with the base model');
  return copied;
}
