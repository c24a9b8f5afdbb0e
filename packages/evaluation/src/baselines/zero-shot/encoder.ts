/**
 * The pre-trained encoder as the zero-shot baselines use it: last-layer vectors of padded rows,
 * mean pooling over a row's real sub-tokens, and description prototypes.
 */
import { mean, normalise } from './prototypes.ts';

export interface ZeroShotEncoder {
  hiddenSize: number;
  /** [rows × L × H] last-layer vectors of `rows` padded rows of length L. */
  lastHidden(inputIds: Int32Array, attentionMask: Int32Array, rows: number, L: number): Promise<Float32Array>;
  /** Normalised mean last-layer vector of `text`'s sub-tokens, encoded alone as `[CLS] text [SEP]` (at most `maxLength` positions). */
  describe(text: string, maxLength: number): Promise<Float32Array>;
  /** Ids that are never pooled: [CLS], [SEP]. */
  specialIds: ReadonlySet<number>;
  dispose(): void;
}

/** Mean of each row's vectors over the positions that are attended and not [CLS]/[SEP] (a zero vector for a row without any). */
export function meanPooledRows(states: Float32Array, inputIds: Int32Array, attentionMask: Int32Array, rows: number, L: number, H: number, specialIds: ReadonlySet<number>): Float32Array[] {
  return Array.from({ length: rows }, (_, r) => {
    const picked: Float32Array[] = [];
    for (let t = 0; t < L; t++) {
      const flat = r * L + t;
      if (attentionMask[flat] === 1 && !specialIds.has(inputIds[flat]!)) picked.push(states.subarray(flat * H, (flat + 1) * H));
    }
    return mean(picked, H);
  });
}

/** Loads the encoder (any head; only `bert.*` is used) and its tokenizer; activates the backend. */
export async function loadZeroShotEncoder(modelDir: string): Promise<ZeroShotEncoder> {
  const tf = await import('@tensorflow/tfjs-core');
  const { loadTokenizer } = await import('@tunekit/data-prep');
  const loader = await import('@tunekit/model-loader');
  await loader.activateBackend();
  const tok = await loadTokenizer(modelDir);
  const model = await loader.loadModel(modelDir, { head: 'none', strict: false });
  const H = Number(model.config.hidden_size);
  const specialIds = new Set([tok.clsId, tok.sepId]);
  const lastHidden = async (ids: Int32Array, mask: Int32Array, rows: number, L: number): Promise<Float32Array> => {
    const inputIds = tf.tensor2d(ids, [rows, L], 'int32');
    const attentionMask = tf.tensor2d(mask, [rows, L], 'int32');
    try {
      const out = model.forward({ inputIds, attentionMask }, { training: false });
      const values = (await out.lastHiddenState.data()) as Float32Array;
      tf.dispose([out.lastHiddenState, out.pooled, out.logits].filter((t) => t !== undefined));
      return values;
    } finally {
      tf.dispose([inputIds, attentionMask]);
    }
  };
  return {
    hiddenSize: H,
    lastHidden,
    specialIds,
    async describe(text, maxLength) {
      const ids = (await tok.tokenizer.encodeBatch([text], { addSpecialTokens: false }))[0]!.getIds().slice(0, maxLength - 2);
      const row = Int32Array.from([tok.clsId, ...ids, tok.sepId]);
      const mask = new Int32Array(row.length).fill(1);
      return normalise(meanPooledRows(await lastHidden(row, mask, 1, row.length), row, mask, 1, row.length, H, specialIds)[0]!);
    },
    dispose: () => model.dispose(),
  };
}
