/** The ELECTRA task for the shared loop: BERT masking + sampling noise on the host, the joint loss, held-out evaluation. */
import { deriveSeed } from '@tunekit/pipeline/sdk';
import type { Rows } from '../data/rows.ts';
import type { TrainTask } from '../loop/train-loop.ts';
import { maskTokens, type MaskingOptions } from '../mlm/masking.ts';
import { heldOutElectra, NOISE_STREAM } from './held-out.ts';
import { electraBatchLoss } from './loss.ts';
import type { ElectraModel } from './model.ts';
import { samplingNoise } from './sampling.ts';

export function electraTask(model: ElectraModel, train: Rows, validation: Rows | undefined, masking: MaskingOptions, evalSeed: number, evalBatchSize: number, discriminatorWeight: number): TrainTask {
  return {
    rows: train,
    prepare: (host, seed) => ({ ...maskTokens(host, masking, seed), sampleNoise: samplingNoise(host.inputIds.length, deriveSeed(seed, NOISE_STREAM)) }),
    loss: (m, batch, seed) => electraBatchLoss(m as ElectraModel, batch, { training: true, seed, discriminatorWeight }),
    evaluate: validation ? async () => heldOutElectra(model, validation, masking, evalSeed, evalBatchSize, discriminatorWeight) : undefined,
  };
}
