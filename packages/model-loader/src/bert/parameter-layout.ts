import type { BertConfig, TaskHead } from '../types.ts';
import { configLabels } from '../config/bert-config.ts';
import { headUsesPooler, isClassificationHead } from './heads.ts';

/** The projection of factorised embeddings (E ≠ H) to the hidden size (HF `electra.embeddings_project`). */
export const EMBEDDINGS_PROJECT = 'bert.embeddings_project';

/** `embedding_size` when the config sets it (ELECTRA / ALBERT style), else `hidden_size`. */
export function embeddingSize(config: BertConfig): number {
  return typeof config.embedding_size === 'number' ? config.embedding_size : config.hidden_size;
}

export type ParameterKind = 'linear-weight' | 'bias' | 'embedding' | 'layer-norm-weight' | 'layer-norm-bias';

export interface ParameterSpec {
  name: string;
  shape: number[];
  kind: ParameterKind;
}

export interface LayoutOptions {
  /** Include `bert.pooler.*` (always for heads that use it; optional for the others). */
  pooler: boolean;
}

/** Every parameter of a BERT model with `head`, by HF name and HF shape (linear weights [out, in]). */
export function parameterLayout(config: BertConfig, head: TaskHead, options: LayoutOptions): ParameterSpec[] {
  const H = config.hidden_size;
  // ELECTRA's factorised embeddings (HF ElectraConfig.embedding_size): embeddings of width E, projected to H.
  const E = embeddingSize(config);
  const specs: ParameterSpec[] = [];
  const linear = (module: string, out: number, inp: number) => {
    specs.push({ name: `${module}.weight`, shape: [out, inp], kind: 'linear-weight' }, { name: `${module}.bias`, shape: [out], kind: 'bias' });
  };
  const layerNorm = (module: string, width = H) => {
    specs.push({ name: `${module}.weight`, shape: [width], kind: 'layer-norm-weight' }, { name: `${module}.bias`, shape: [width], kind: 'layer-norm-bias' });
  };
  specs.push(
    { name: 'bert.embeddings.word_embeddings.weight', shape: [config.vocab_size, E], kind: 'embedding' },
    { name: 'bert.embeddings.position_embeddings.weight', shape: [config.max_position_embeddings, E], kind: 'embedding' },
    { name: 'bert.embeddings.token_type_embeddings.weight', shape: [config.type_vocab_size, E], kind: 'embedding' },
  );
  layerNorm('bert.embeddings.LayerNorm', E);
  if (E !== H) linear(EMBEDDINGS_PROJECT, H, E);
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const layer = `bert.encoder.layer.${i}`;
    linear(`${layer}.attention.self.query`, H, H);
    linear(`${layer}.attention.self.key`, H, H);
    linear(`${layer}.attention.self.value`, H, H);
    linear(`${layer}.attention.output.dense`, H, H);
    layerNorm(`${layer}.attention.output.LayerNorm`);
    linear(`${layer}.intermediate.dense`, config.intermediate_size, H);
    linear(`${layer}.output.dense`, H, config.intermediate_size);
    layerNorm(`${layer}.output.LayerNorm`);
  }
  if (options.pooler || headUsesPooler(head)) linear('bert.pooler.dense', H, H);
  if (isClassificationHead(head)) {
    const labels = configLabels(config);
    if (!labels || labels.length === 0) throw new Error(`a ${head} head needs labels (config.id2label is empty)`);
    linear('classifier', labels.length, H);
  }
  if (head === 'masked-lm') {
    // With factorised embeddings the transform maps back to E, where the tied decoder lives (HF ElectraGeneratorPredictions).
    linear('cls.predictions.transform.dense', E, H);
    layerNorm('cls.predictions.transform.LayerNorm', E);
    // The decoder weight is tied to the word embeddings (HF `tie_weights`); only its bias is a parameter.
    specs.push({ name: 'cls.predictions.bias', shape: [config.vocab_size], kind: 'bias' });
  }
  return specs;
}

/** Linear modules in forward order (what `wrapLinear` accepts). */
export function linearModuleNames(specs: ParameterSpec[], head: TaskHead): string[] {
  const names = specs.filter((s) => s.kind === 'linear-weight').map((s) => s.name.slice(0, -'.weight'.length));
  if (head === 'masked-lm') names.push('cls.predictions.decoder');
  return names;
}
