/**
 * The evaluation package's seqeval-exact NER metrics and classification metrics.
 * Imported by path because `@tunekit/evaluation` does not export them from its index yet;
 * switch to `from '@tunekit/evaluation'` once it does.
 */
export { nerMetrics } from '../../../evaluation/src/metrics/ner/index.ts';
export { classificationMetrics } from '../../../evaluation/src/metrics/classification/index.ts';
