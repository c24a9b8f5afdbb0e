/** The evaluation package's seqeval-exact NER metrics and classification metrics, used for validation during training. */
export { nerMetrics, classificationMetrics, wordPredictions, type Decoding } from '@tunekit/evaluation';
