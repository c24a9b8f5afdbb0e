import { readBertConfig } from '../config/read-write.ts';
import { configLabels } from '../config/bert-config.ts';
import { headFromArchitectures } from '../bert/heads.ts';
import { planLoad, readWeights, strategyOwnedTensors } from '../checkpoint/load.ts';
import { existingTokenizerFiles } from '../checkpoint/tokenizer-files.ts';
import { checkTokenizerFiles } from '../checkpoint/vocabulary.ts';

export interface InspectReport {
  dir: string;
  config: Record<string, unknown>;
  head: string;
  labels?: string[];
  metadata?: Record<string, string>;
  tensors: Array<{ name: string; dtype: string; shape: number[] }>;
  parameters: number;
  tokenizerFiles: string[];
  /** Parameters of the config's architecture that the checkpoint lacks / tensors it has no place for (`loadModel` refuses both unless lenient). */
  missing: string[];
  unexpected: string[];
}

/**
 * `tunekit model inspect <model-dir>`: config summary and tensor table (name, dtype, shape), without
 * tfjs. A malformed config.json, model.safetensors, vocab.txt or tokenizer.json, or a checkpoint that
 * `loadModel` would refuse (with the same `strict` rule), is a ModelFileError.
 */
export async function inspectModel(dir: string, options: { strict?: boolean } = {}): Promise<InspectReport> {
  const config = await readBertConfig(dir);
  const file = await readWeights(dir);
  // The loader's checks (dtypes, shapes against config.json) without allocating; `strict: false` lists missing/unexpected tensors instead of refusing.
  const { report } = planLoad(dir, config, file, { strict: options.strict ?? true, strategyOwned: await strategyOwnedTensors(dir) });
  const tensors = file.tensors.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const parameters = file.tensors.filter((t) => t.dtype.startsWith('F') || t.dtype === 'BF16').reduce((sum, t) => sum + t.shape.reduce((a, b) => a * b, 1), 0);
  const labels = configLabels(config);
  const tokenizerFiles = await existingTokenizerFiles(dir);
  await checkTokenizerFiles(dir, config.vocab_size, tokenizerFiles, false);
  return {
    dir,
    config,
    head: headFromArchitectures(config.architectures),
    ...(labels ? { labels } : {}),
    ...(file.metadata ? { metadata: file.metadata } : {}),
    tensors,
    parameters,
    tokenizerFiles,
    missing: report.missing,
    unexpected: report.unexpected,
  };
}

/** The report as text: summary lines, then an aligned tensor table. */
export function formatInspectReport(report: InspectReport): string {
  const c = report.config;
  const lines = [
    `model: ${report.dir}`,
    `architecture: ${(c.architectures as string[] | undefined)?.join(', ') ?? '(none)'} (head: ${report.head})`,
    `model_type: ${c.model_type}  vocab_size: ${c.vocab_size}  hidden_size: ${c.hidden_size}  layers: ${c.num_hidden_layers}  heads: ${c.num_attention_heads}  intermediate_size: ${c.intermediate_size}`,
    `hidden_act: ${c.hidden_act}  max_position_embeddings: ${c.max_position_embeddings}  type_vocab_size: ${c.type_vocab_size}  layer_norm_eps: ${c.layer_norm_eps}`,
    `dropout: hidden ${c.hidden_dropout_prob}, attention ${c.attention_probs_dropout_prob}`,
    ...(report.labels ? [`labels (${report.labels.length}): ${report.labels.join(', ')}`] : []),
    `tokenizer files: ${report.tokenizerFiles.length ? report.tokenizerFiles.join(', ') : '(none)'}`,
    ...(report.missing.length ? [`missing (lenient): ${report.missing.join(', ')}`] : []),
    ...(report.unexpected.length ? [`unexpected (lenient): ${report.unexpected.join(', ')}`] : []),
    `tensors: ${report.tensors.length}, float parameters: ${report.parameters.toLocaleString('en-US')}${report.metadata ? `, metadata: ${JSON.stringify(report.metadata)}` : ''}`,
    '',
  ];
  const rows = [['name', 'dtype', 'shape'], ...report.tensors.map((t) => [t.name, t.dtype, `[${t.shape.join(', ')}]`])];
  const widths = [0, 1].map((i) => Math.max(...rows.map((row) => row[i].length)));
  for (const row of rows) lines.push(`${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2]}`);
  return lines.join('\n');
}
