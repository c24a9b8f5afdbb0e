/**
 * `training/export`: of the models of a matrix (e.g. `calibrate[*].model`), the one whose metric on
 * the validation split (e.g. `validate[*].metrics`, paired by matrix coordinates) is best, written as
 * a Hugging Face folder any loader can use: LoRA merged into the weights (PEFT adapter files kept
 * next to them), adapters as base weights + strategy files, plus the fitted temperature if any.
 */
import { fingerprint } from '@tunekit/compute/fingerprint'; // backend + tfjs versions in the cache key; loads no tfjs
import { defineStage } from '@tunekit/pipeline';
import type { ExportParams } from '../export/run.ts';

export default defineStage<ExportParams>({
  id: 'training/export',
  version: '1',
  description: 'Select the best model of a matrix by a validation metric and export it in HF layout (LoRA merged, + PEFT adapter files).',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      metric: { type: 'string', default: 'f1', description: 'Key in metrics.json "metrics" to compare (e.g. f1, macro_f1, accuracy, loss).' },
      mode: { type: 'string', enum: ['max', 'min'], default: 'max', description: 'max: larger is better; min: smaller is better (e.g. loss).' },
      split: { type: 'string', default: 'validation', description: 'Split the metrics must have been computed on (checked against metrics.json "split").' },
    },
  },
  inputs: {
    models: { kind: 'model', collection: true, description: 'Candidate models, one per matrix cell (e.g. calibrate[*].model).' },
    metrics: { kind: 'metrics', collection: true, description: 'Their metrics on the selection split, same matrix cells (e.g. validate[*].metrics).' },
  },
  outputs: {
    model: { kind: 'model', description: 'The selected model in HF layout + tunekit_selection.json (every candidate and its value).' },
  },
  fingerprint,
  async run(ctx) {
    const { runExport } = await import('../export/run.ts');
    await runExport(ctx);
  },
});
