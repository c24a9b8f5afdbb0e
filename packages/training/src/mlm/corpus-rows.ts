/**
 * What the pre-training stages (`training/pretrain-mlm`, `training/pretrain-electra`) read: the
 * corpus splits cut into blocks with the model's own tokenizer, and the ids masking needs.
 */
import { loadTokenizer, readCorpusArtifact, type LoadedTokenizer } from '@tunekit/data-prep';
import type { Rows } from '../data/rows.ts';
import { corpusBlocks } from './blocks.ts';
import type { MaskingOptions } from './masking.ts';

export interface CorpusParams {
  block_size: number;
  mlm_probability: number;
  train_split: string;
  validation_split: string;
  max_train_blocks: number;
  max_validation_blocks: number;
  evaluation: 'epoch' | 'steps' | 'no';
}

export interface PretrainingCorpus {
  loaded: LoadedTokenizer;
  train: Rows;
  /** Absent with evaluation: no. */
  validation?: Rows;
  masking: MaskingOptions;
}

/** `stage` names the stage in errors ("training/pretrain-mlm") and in the log line (its part after the slash). */
export async function readPretrainingCorpus(stage: string, corpusDir: string, modelDir: string, p: CorpusParams, info: (message: string) => void): Promise<PretrainingCorpus> {
  const { splits: corpus } = await readCorpusArtifact(corpusDir);
  const trainDocs = corpus[p.train_split];
  if (!trainDocs) throw new Error(`${stage}: the corpus has no split "${p.train_split}" (has: ${Object.keys(corpus).join(', ')})`);
  const validationDocs = p.evaluation === 'no' ? undefined : corpus[p.validation_split];
  if (p.evaluation !== 'no' && !validationDocs) {
    throw new Error(`${stage}: the corpus has no split "${p.validation_split}" for the held-out loss (has: ${Object.keys(corpus).join(', ')}); set evaluation: no or validation_split`);
  }
  const loaded = await loadTokenizer(modelDir);
  const maskId = loaded.tokenizer.tokenToId('[MASK]');
  if (maskId === null || maskId === undefined) throw new Error(`${modelDir}: the tokenizer has no [MASK] token`);
  const train = await corpusBlocks(trainDocs, loaded, p.block_size, p.max_train_blocks > 0 ? p.max_train_blocks : Infinity);
  const validation = validationDocs ? await corpusBlocks(validationDocs, loaded, p.block_size, p.max_validation_blocks > 0 ? p.max_validation_blocks : Infinity) : undefined;
  info(`${stage.split('/').at(-1)}: ${train.numRows} training blocks, ${validation?.numRows ?? 0} held-out blocks of ${p.block_size} tokens`);
  const masking = { probability: p.mlm_probability, maskId, vocabSize: loaded.vocabSize, specialIds: [loaded.clsId, loaded.sepId, loaded.padId] };
  return { loaded, train, validation, masking };
}
