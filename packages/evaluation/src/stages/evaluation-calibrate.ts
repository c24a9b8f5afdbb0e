/**
 * `evaluation/calibrate`: temperature scaling. Fits T on the validation split's logits (word-level
 * for NER, example-level for classification), reports calibration on the evaluated split before and
 * after, and outputs the model with `tunekit_calibration.json` ({"temperature": T}) next to its
 * weights, which evaluation stages and `tunekit predict` apply.
 */
import { fingerprint } from '@tunekit/compute/fingerprint'; // backend + tfjs versions in the cache key; loads no tfjs
import { defineStage } from '@tunekit/pipeline';
import type { MetricsFile } from '../metrics-file/schema.ts';
import { metricsEntryParams, type MetricsEntryParams } from './metrics-params.ts';

export interface CalibrateParams extends MetricsEntryParams {
  fit_split: string;
  eval_split: string;
  batch_size: number;
}

export default defineStage<CalibrateParams>({
  id: 'evaluation/calibrate',
  version: '2',
  fingerprint,
  description: 'Temperature scaling fitted on the validation split (golden-section search on log T); calibration before/after; the temperature travels with the model.',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ...metricsEntryParams,
      fit_split: { type: 'string', default: 'validation', description: 'Split whose logits fit T (minimum NLL).' },
      eval_split: { type: 'string', default: 'test', description: 'Split on which calibration is reported before and after scaling.' },
      batch_size: { type: 'integer', minimum: 1, default: 32, description: 'Rows per forward pass.' },
    },
  },
  inputs: {
    model: { kind: 'model', description: 'token- or sequence-classification model' },
    dataset: { kind: 'encoded-dataset', description: 'encoded dataset with the fit and eval splits' },
  },
  outputs: {
    model: { kind: 'model', description: 'the input model plus tunekit_calibration.json' },
    metrics: { kind: 'metrics', description: 'metrics.json with calibration before / after' },
  },
  async run(ctx) {
    const { cp, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { readManifest, writeManifest } = await import('@tunekit/pipeline');
    const { loadEncodedDataset } = await import('@tunekit/data-prep');
    const { calibrationMetrics, fitTemperature, softmaxRows, topLabel, entityCalibration, scoreEntityConfidence } = await import('../calibration/index.ts');
    const { CALIBRATION_FILE, loadInferenceModel } = await import('../predict/inference-model.ts');
    const { pickSplit, predictClassificationSplit, predictNerSplit } = await import('../predict/predict-encoded.ts');
    const { entryIdentity, writeMetricsArtifact } = await import('./write-metrics-artifact.ts');
    const p = ctx.params;

    const encoded = await loadEncodedDataset(ctx.inputs.dataset!.dir);
    const m = await loadInferenceModel(ctx.inputs.model!.dir, { useTemperature: false });
    const ner = m.model.head === 'token-classification';
    const [fitSplit, evalSplit] = [pickSplit(encoded, p.fit_split), pickSplit(encoded, p.eval_split)];
    // Progress over both splits: the fit split's rows, then the eval split's.
    const rows = fitSplit.numRows + evalSplit.numRows;
    const predict = (split: typeof fitSplit, offset: number) => {
      const onProgress = (done: number) => ctx.progress.update(offset + done, rows, { unit: 'rows' });
      return ner ? predictNerSplit(m, split, onProgress) : predictClassificationSplit(m, split, onProgress);
    };
    let fit;
    let evaluated;
    try {
      fit = await predict(fitSplit, 0);
      evaluated = await predict(evalSplit, fitSplit.numRows);
    } finally {
      m.model.dispose();
    }
    const K = fit.numLabels;
    const { temperature, nllBefore, nllAfter } = fitTemperature(fit.logits, K, fit.gold);
    const calibrationAt = (T: number) => {
      const { label, confidence } = topLabel(softmaxRows(evaluated.logits, K, T), K);
      return { label, confidence, metrics: calibrationMetrics(confidence, Array.from(label, (l, i) => l === evaluated.gold[i]), p.bins) };
    };
    const before = calibrationAt(1);
    const after = calibrationAt(temperature);
    const calibration: NonNullable<MetricsFile['calibration']> = { token: before.metrics, after_temperature: after.metrics, temperature };
    if (ner && 'sentences' in evaluated) {
      // Entity-level calibration after scaling: same spans, confidences recomputed with T.
      let offset = 0;
      const scaled = evaluated.sentences.map((s) => {
        const c = Array.from(after.confidence.subarray(offset, offset + s.tokens.length));
        offset += s.tokens.length;
        return c;
      });
      const entity = entityCalibration(scoreEntityConfidence(evaluated.sentences.map((s) => s.gold), evaluated.sentences.map((s) => s.pred), scaled), p.bins);
      calibration.entity_mean_after_temperature = entity.mean;
    }

    const modelOut = ctx.outputs.model!.dir;
    await cp(ctx.inputs.model!.dir, modelOut, { recursive: true, dereference: true });
    await writeFile(join(modelOut, CALIBRATION_FILE), JSON.stringify({ temperature, fitted_on: p.fit_split, nll_before: nllBefore, nll_after: nllAfter }, null, 2) + '\n');
    const manifest = await readManifest(modelOut).catch(() => ({ kind: 'model', schemaVersion: 1 }));
    await writeManifest(modelOut, { ...manifest, calibration: { file: CALIBRATION_FILE, temperature } });

    await writeMetricsArtifact(ctx, ctx.outputs.metrics!.dir, {
      schemaVersion: 1,
      ...entryIdentity(ctx, p),
      task: ner ? 'token-classification' : 'sequence-classification',
      split: p.eval_split,
      metrics: {
        temperature,
        nll_fit_before: nllBefore,
        nll_fit_after: nllAfter,
        ece_before_temperature: before.metrics.ece,
        ece_after_temperature: after.metrics.ece,
        brier_before_temperature: before.metrics.brier,
        brier_after_temperature: after.metrics.brier,
      },
      calibration,
    });
    ctx.log.info(`T = ${temperature.toFixed(4)}; ECE on ${p.eval_split}: ${before.metrics.ece.toFixed(4)} → ${after.metrics.ece.toFixed(4)}`);
  },
});
