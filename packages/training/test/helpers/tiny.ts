import { createHash } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createModel, type BertConfig, type BertModel } from '@tunekit/model-loader';
import type { EncodedDataset, EncodedSplit } from '@tunekit/data-prep';

export const tempDir = (prefix = 'tunekit-training-') => mkdtemp(join(tmpdir(), prefix));

export const TINY_CONFIG: BertConfig = {
  model_type: 'bert',
  vocab_size: 40,
  hidden_size: 16,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  intermediate_size: 32,
  hidden_act: 'gelu',
  max_position_embeddings: 32,
  type_vocab_size: 2,
  layer_norm_eps: 1e-12,
  hidden_dropout_prob: 0.1,
  attention_probs_dropout_prob: 0.1,
  pad_token_id: 0,
};

export const NER_LABELS = ['O', 'B-Disease', 'I-Disease'];

export function tinyModel(seed = 1, labels = NER_LABELS): BertModel {
  return createModel(TINY_CONFIG, 'token-classification', seed, { labels });
}

/**
 * A small synthetic NER split with a learnable rule: word ids 20–29 start a Disease mention, 30–39
 * continue it, others are O. One word = one sub-token; [CLS]=2, [SEP]=3, pad=0. Sentences of
 * length 3–9, seeded.
 */
export function syntheticNerSplit(name: string, sentences: number, seed: number, seqLen = 12): EncodedSplit {
  let state = seed >>> 0;
  const rand = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296);
  const inputIds = new Int32Array(sentences * seqLen);
  const attentionMask = new Int32Array(sentences * seqLen);
  const tokenTypeIds = new Int32Array(sentences * seqLen);
  const labels = new Int32Array(sentences * seqLen).fill(-100);
  const wordIds = new Int32Array(sentences * seqLen).fill(-1);
  const primary = new Uint8Array(sentences * seqLen);
  const rowSentence = new Int32Array(sentences);
  const examples: EncodedSplit['examples'] = [];
  for (let s = 0; s < sentences; s++) {
    const words = 3 + Math.floor(rand() * 7);
    const tokens: string[] = [];
    const tags: string[] = [];
    const base = s * seqLen;
    inputIds[base] = 2;
    attentionMask[base] = 1;
    for (let w = 0; w < words; w++) {
      const previousDisease = tags.length > 0 && tags[tags.length - 1] !== 'O';
      const r = rand();
      let id: number;
      let tag: string;
      if (previousDisease && r < 0.5) [id, tag] = [30 + Math.floor(rand() * 10), 'I-Disease'];
      else if (r < 0.3) [id, tag] = [20 + Math.floor(rand() * 10), 'B-Disease'];
      else [id, tag] = [5 + Math.floor(rand() * 15), 'O'];
      const p = base + 1 + w;
      inputIds[p] = id;
      attentionMask[p] = 1;
      labels[p] = NER_LABELS.indexOf(tag);
      wordIds[p] = w;
      primary[p] = 1;
      tokens.push(`w${id}`);
      tags.push(tag);
    }
    inputIds[base + 1 + words] = 3;
    attentionMask[base + 1 + words] = 1;
    rowSentence[s] = s;
    examples.push({ tokens, tags });
  }
  return { name, numRows: sentences, seqLen, inputIds, attentionMask, tokenTypeIds, labels, wordIds, primary, rowSentence, examples };
}

export function syntheticNerDataset(trainSentences = 48, validationSentences = 16): EncodedDataset {
  return {
    task: 'token-classification',
    labels: NER_LABELS,
    splits: { train: syntheticNerSplit('train', trainSentences, 11), validation: syntheticNerSplit('validation', validationSentences, 23) },
  };
}

/** sha256 over the model's parameters (sorted names, shapes and float32 bytes). */
export function weightsDigest(model: BertModel, names = [...model.params.keys()]): string {
  const hash = createHash('sha256');
  for (const name of [...names].sort()) {
    const v = model.params.get(name)!;
    hash.update(`${name}:${v.shape.join('x')}:`);
    hash.update(new Uint8Array((v.dataSync() as Float32Array).slice().buffer));
  }
  return hash.digest('hex');
}
