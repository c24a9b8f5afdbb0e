import * as tf from '@tensorflow/tfjs-core';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { ExplicitBackend } from '../runtime/backend.ts';
import { activateBackend } from '../runtime/backend.ts';
import { loadModel, type LoadReport } from '../checkpoint/load.ts';
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
export async function runModelForward(options: ForwardCommandOptions): Promise<{ backend: string; outputs: string[]; loadReport: LoadReport }> {
  const backend = await activateBackend(options.backend);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(options.inputPath, 'utf8'));
  } catch (error) {
    throw new Error(`${options.inputPath}: cannot read inputs (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const model = await loadModel(options.modelDir, { strict: options.strict ?? true });
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
    return { backend, outputs: Object.keys(result), loadReport: model.loadReport };
  } finally {
    model.dispose();
  }
}
