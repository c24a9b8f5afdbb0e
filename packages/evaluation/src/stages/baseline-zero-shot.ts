/**
 * `evaluation/baseline-zero-shot`: NER with the pre-trained encoder and no task training, by
 * nearest label prototype (see baselines/zero-shot/prototypes.ts for the method and why).
 */
import { defineStage } from '@tunekit/pipeline';

export interface ZeroShotParams {
  split: string;
  descriptions: Record<string, string>;
  sharpness: number;
  batch_size: number;
  name: string;
  bins: number;
}

export default defineStage<ZeroShotParams>({
  id: 'evaluation/baseline-zero-shot',
  version: '1',
  description: 'Zero-shot NER: each word takes the nearest prototype (type descriptions vs the mean word of the text) in the pre-trained encoder space.',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      split: { type: 'string', default: 'test', description: 'Split of the encoded dataset to label and score.' },
      descriptions: {
        type: 'object',
        additionalProperties: { type: 'string' },
        default: { Disease: 'disease disorder syndrome cancer tumor deficiency' },
        description: 'Entity type → description text whose encoding is the type prototype.',
      },
      sharpness: { type: 'number', exclusiveMinimum: 0, default: 10, description: 'Cosine similarities × sharpness → softmax confidence.' },
      batch_size: { type: 'integer', minimum: 1, default: 16, description: 'Rows per forward pass.' },
      name: { type: 'string', default: 'zero-shot', description: 'Name in the report.' },
      bins: { type: 'integer', minimum: 1, default: 15, description: 'Confidence bins.' },
    },
  },
  inputs: {
    model: { kind: 'model', description: 'pre-trained encoder (any head; only the encoder is used)' },
    dataset: { kind: 'encoded-dataset', description: 'token-classification encoded dataset (for words, windows and gold tags)' },
  },
  outputs: {
    predictions: { kind: 'predictions', description: 'predictions.tsv' },
    metrics: { kind: 'metrics', description: 'metrics.json (kind baseline)' },
  },
  async run(ctx) {
    const p = ctx.params;
    const { writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const tf = await import('@tensorflow/tfjs-core');
    const { loadEncodedDataset, loadTokenizer, primaryPositions } = await import('@tunekit/data-prep');
    const loader = await import('@tunekit/model-loader');
    const { mean, nearestPrototype, normalise, runsToIob2 } = await import('../baselines/zero-shot/prototypes.ts');
    const { pickSplit } = await import('../predict/predict-encoded.ts');
    const { formatNerPredictions, NER_PREDICTIONS_FILE, writePredictionsManifest } = await import('../predictions/index.ts');
    const { evaluateNerPredictions } = await import('../evaluate/ner-evaluation.ts');
    const { writeMetricsArtifact } = await import('./write-metrics-artifact.ts');

    const types = Object.keys(p.descriptions).sort();
    if (types.length === 0) throw new Error('evaluation/baseline-zero-shot: `descriptions` must name at least one entity type');
    const encoded = await loadEncodedDataset(ctx.inputs.dataset!.dir);
    if (encoded.task !== 'token-classification') throw new Error(`evaluation/baseline-zero-shot needs a token-classification dataset, found ${encoded.task}`);
    const split = pickSplit(encoded, p.split);
    await loader.activateBackend();
    const model = await loader.loadModel(ctx.inputs.model!.dir, { head: 'none', strict: false });
    const H = Number(model.config.hidden_size);
    const hidden = async (ids: Int32Array, mask: Int32Array, rows: number, L: number): Promise<Float32Array> => {
      const inputIds = tf.tensor2d(ids, [rows, L], 'int32');
      const attentionMask = tf.tensor2d(mask, [rows, L], 'int32');
      try {
        const out = model.forward({ inputIds, attentionMask }, { training: false });
        const values = (await out.lastHiddenState.data()) as Float32Array;
        tf.dispose([out.lastHiddenState, out.pooled, out.logits].filter((t) => t !== undefined));
        return values;
      } finally {
        tf.dispose([inputIds, attentionMask]);
      }
    };
    try {
      // Type prototypes from the descriptions, each encoded alone.
      const tok = await loadTokenizer(ctx.inputs.model!.dir);
      const typePrototypes: Float32Array[] = [];
      for (const type of types) {
        const ids = (await tok.tokenizer.encodeBatch([p.descriptions[type]!], { addSpecialTokens: false }))[0]!.getIds().slice(0, split.seqLen - 2);
        const row = Int32Array.from([tok.clsId, ...ids, tok.sepId]);
        const states = await hidden(row, new Int32Array(row.length).fill(1), 1, row.length);
        typePrototypes.push(normalise(mean(ids.map((_, i) => states.subarray((i + 1) * H, (i + 2) * H)), H)));
      }
      // Word vectors at their primary positions, batch by batch.
      const positions = primaryPositions(split);
      const flatToWord = new Map<number, [number, number]>();
      positions.forEach((words, s) => words.forEach((flat, w) => flatToWord.set(flat, [s, w])));
      const vectors: Float32Array[][] = positions.map((words) => Array.from(words, () => new Float32Array(H)));
      const L = split.seqLen;
      for (let start = 0; start < split.numRows; start += p.batch_size) {
        const rows = Math.min(p.batch_size, split.numRows - start);
        const states = await hidden(split.inputIds.subarray(start * L, (start + rows) * L), split.attentionMask.subarray(start * L, (start + rows) * L), rows, L);
        for (let flat = start * L; flat < (start + rows) * L; flat++) {
          const word = flatToWord.get(flat);
          if (word) vectors[word[0]]![word[1]] = states.slice((flat - start * L) * H, (flat - start * L + 1) * H);
        }
        ctx.progress.update(start + rows, split.numRows, 'rows');
      }
      const outside = normalise(mean(vectors.flat(), H));
      const prototypes = [outside, ...typePrototypes];
      const sentences = split.examples.map((example, s) => {
        const { tokens, tags } = example as { tokens: string[]; tags: string[] };
        const picks = vectors[s]!.map((v: Float32Array) => nearestPrototype(v, prototypes, p.sharpness));
        return { tokens, gold: tags, pred: runsToIob2(picks.map((x) => x.index), types), confidence: picks.map((x) => x.confidence) };
      });
      const predictionsDir = ctx.outputs.predictions!.dir;
      await writeFile(join(predictionsDir, NER_PREDICTIONS_FILE), formatNerPredictions(sentences));
      await writePredictionsManifest(predictionsDir, { task: 'token-classification', file: NER_PREDICTIONS_FILE, split: p.split, labels: encoded.labels, source: 'zero-shot', sentences: sentences.length });
      const evaluation = evaluateNerPredictions(sentences, { bins: p.bins, labels: encoded.labels });
      await writeMetricsArtifact(ctx, ctx.outputs.metrics!.dir, { schemaVersion: 1, kind: 'baseline', name: p.name, task: 'token-classification', split: p.split, ...evaluation });
      ctx.log.info(`zero-shot F1 ${evaluation.metrics.f1?.toFixed(4)} on ${p.split}`);
    } finally {
      model.dispose();
    }
  },
});
