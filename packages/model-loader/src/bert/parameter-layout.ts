import type { BertConfig, TaskHead } from '../types.ts';
import { configLabels } from '../config/bert-config.ts';
import { headUsesPooler, isClassificationHead } from './heads.ts';

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
  const specs: ParameterSpec[] = [];
  const linear = (module: string, out: number, inp: number) => {
    specs.push({ name: `${module}.weight`, shape: [out, inp], kind: 'linear-weight' }, { name: `${module}.bias`, shape: [out], kind: 'bias' });
  };
  const layerNorm = (module: string) => {
    specs.push({ name: `${module}.weight`, shape: [H], kind: 'layer-norm-weight' }, { name: `${module}.bias`, shape: [H], kind: 'layer-norm-bias' });
  };
  specs.push(
    { name: 'bert.embeddings.word_embeddings.weight', shape: [config.vocab_size, H], kind: 'embedding' },
    { name: 'bert.embeddings.position_embeddings.weight', shape: [config.max_position_embeddings, H], kind: 'embedding' },
    { name: 'bert.embeddings.token_type_embeddings.weight', shape: [config.type_vocab_size, H], kind: 'embedding' },
  );
  layerNorm('bert.embeddings.LayerNorm');
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
    linear('cls.predictions.transform.dense', H, H);
    layerNorm('cls.predictions.transform.LayerNorm');
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
