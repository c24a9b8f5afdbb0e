import { StageInputError } from '@tunekit/pipeline';
import * as tf from '@tensorflow/tfjs-core';
import { lstat, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExplicitBackend } from '../runtime/backend.ts';
import { activateBackend } from '../runtime/backend.ts';
import { loadModel, STRATEGY_RECORD_FILE, type LoadedBertModel, type LoadOptions, type LoadReport } from '../checkpoint/load.ts';
import { ModelFileError } from '../files/model-file-error.ts';
import { readRegularFile } from '../files/read-regular-file.ts';
import { parseForwardInputs } from './forward-inputs.ts';

export interface ForwardCommandOptions {
  modelDir: string;
  inputPath: string;
  outputPath: string;
  /** Default: @tunekit/compute's selection. */
  backend?: ExplicitBackend;
  /** Default true: a checkpoint with missing or unexpected tensors is an error. */
  strict?: boolean;
  /** Also write `hidden_states` (embeddings output, then every layer). */
  hiddenStates?: boolean;
  /**
   * How to load the folder. Default: `loadModel`, refusing a folder that records a strategy
   * (`tunekit_strategy.json`: LoRA / adapter layers it would silently leave out). The CLI passes
   * @tunekit/strategies' loader, which re-applies the strategy with its trained weights.
   */
  load?: (dir: string, options: LoadOptions) => Promise<{ model: LoadedBertModel; strategy: string | null }>;
}

async function loadPlainModel(dir: string, options: LoadOptions): Promise<{ model: LoadedBertModel; strategy: null }> {
  const marker = join(dir, STRATEGY_RECORD_FILE);
  if (await lstat(marker).then(() => true, () => false)) {
    throw new ModelFileError(marker, 'this model folder carries a strategy (LoRA or adapter layers) that a plain load would leave out; load it with loadModelWithStrategy from @tunekit/strategies (`tunekit model forward` does)');
  }
  return { model: await loadModel(dir, options), strategy: null };
}

export interface ForwardOutputsFile {
  last_hidden_state: number[][][];
  pooled?: number[][];
  logits?: number[][] | number[][][];
  hidden_states?: number[][][][];
}

/**
 * `tunekit model forward <model-dir> --input inputs.json --output out.json`: one batch through the
 * checkpoint in eval mode; `pooled` when it has a pooler, `logits` when it has a head.
 */
export async function runModelForward(options: ForwardCommandOptions): Promise<{ backend: string; outputs: string[]; loadReport: LoadReport; strategy: string | null }> {
  const backend = await activateBackend(options.backend);
  const bytes = await readRegularFile(options.inputPath, 'inputs file', 256 * 1024 * 1024);
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new StageInputError(`${options.inputPath}: cannot read inputs (${(error as Error).message})`);
  }
  const { model, strategy } = await (options.load ?? loadPlainModel)(options.modelDir, { strict: options.strict ?? true });
  try {
    const inputs = parseForwardInputs(raw, model.config, options.inputPath);
    let result!: ForwardOutputsFile;
    tf.tidy(() => {
      const outputs = model.forward(
        {
          inputIds: tf.tensor2d(inputs.input_ids, undefined, 'int32'),
          ...(inputs.attention_mask ? { attentionMask: tf.tensor2d(inputs.attention_mask, undefined, 'int32') } : {}),
          ...(inputs.token_type_ids ? { tokenTypeIds: tf.tensor2d(inputs.token_type_ids, undefined, 'int32') } : {}),
        },
        { outputHiddenStates: options.hiddenStates === true },
      );
      const file: ForwardOutputsFile = { last_hidden_state: outputs.lastHiddenState.arraySync() };
      if (outputs.pooled) file.pooled = outputs.pooled.arraySync();
      if (outputs.logits) file.logits = outputs.logits.arraySync() as number[][] | number[][][];
      if (outputs.hiddenStates) file.hidden_states = outputs.hiddenStates.map((h) => h.arraySync());
      result = file;
    });
    const temp = `${options.outputPath}.tmp-${process.pid}`;
    try {
      await writeFile(temp, JSON.stringify(result) + '\n');
      await rename(temp, options.outputPath);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return { backend, outputs: Object.keys(result), loadReport: model.loadReport, strategy };
  } finally {
    model.dispose();
  }
}
