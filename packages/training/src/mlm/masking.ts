/**
 * BERT masking (Devlin et al. 2019; HF DataCollatorForLanguageModeling): each non-special token is
 * selected with probability 15%; a selected token becomes [MASK] 80% of the time, a random vocabulary
 * token 10%, and stays unchanged 10%. Labels hold the original id at selected positions, -100 elsewhere.
 * Seeded: the same (batch, seed) always gives the same masks.
 */
import { seededRandom } from '@tunekit/pipeline/sdk';
import type { HostBatch } from '../data/batch.ts';

export interface MaskingOptions {
  probability: number;
  maskId: number;
  vocabSize: number;
  /** Ids never selected ([CLS], [SEP], [PAD]). */
  specialIds: number[];
}

export function maskTokens(batch: HostBatch, options: MaskingOptions, seed: number): HostBatch {
  const random = seededRandom(seed);
  const special = new Set(options.specialIds);
  const inputIds = batch.inputIds.slice();
  const labels = new Int32Array(inputIds.length).fill(-100);
  for (let i = 0; i < inputIds.length; i++) {
    const id = inputIds[i]!;
    // Draw for every position so the stream does not depend on which tokens are special.
    const select = random();
    const action = random();
    const replacement = Math.floor(random() * options.vocabSize);
    if (batch.attentionMask[i] === 0 || special.has(id) || select >= options.probability) continue;
    labels[i] = id;
    if (action < 0.8) inputIds[i] = options.maskId;
    else if (action < 0.9) inputIds[i] = replacement;
  }
  const predictPositions = Int32Array.from(labels.keys()).filter((i) => labels[i] !== -100);
  return { ...batch, inputIds, labels, predictPositions };
}
