/** The evaluation package's seqeval-exact NER metrics and classification metrics, used for validation during training. */
export { nerMetrics, classificationMetrics } from '@tunekit/evaluation';
