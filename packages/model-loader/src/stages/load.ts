import { defineStage } from '@tunekit/pipeline';
import type { TaskHead } from '../types.ts';

export interface LoadParams {
  source: string;
  head?: TaskHead;
  labels?: string[];
  strict: boolean;
}

export default defineStage<LoadParams>({
  id: 'model-loader/load',
  version: '1',
  description: 'Load a BERT checkpoint (local HF folder, builtin:<name> or hf:<repo>[@rev]), validate it and write it as a model artifact in HF layout.',
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['source'],
    properties: {
      source: { type: 'string', minLength: 1, description: 'A HF model folder (relative to the pipeline file), builtin:<name> (models/<name>) or hf:<owner>/<name>[@revision].' },
      head: { enum: ['none', 'token-classification', 'sequence-classification', 'masked-lm'], description: 'Head to build; default: from config.json `architectures`.' },
      labels: { type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true, description: 'Labels of a classification head; different from the checkpoint\'s → a new classifier.' },
      strict: { type: 'boolean', default: true, description: 'Fail on missing or unexpected tensors (HF exceptions: pooler, cls.* for classification, new heads).' },
    },
  },
  inputs: {},
  outputs: { model: { kind: 'model', description: 'HF folder: config.json, model.safetensors, tokenizer files, manifest.json.' } },
  /** The digest of the source folder's files: a changed checkpoint reruns the stage. */
  async fingerprint(params, env) {
    const { sourceFingerprint } = await import('./source-fingerprint.ts');
    return sourceFingerprint(params.source, env);
  },
  async run(ctx) {
    const { writeManifest } = await import('@tunekit/pipeline');
    const { activateBackend } = await import('../runtime/backend.ts');
    const { resolveModelSource, digestFolder } = await import('../sources/index.ts');
    const { loadModel, saveModel, checkTokenizerFiles, existingTokenizerFiles } = await import('../checkpoint/index.ts');
    const { modelManifest } = await import('./model-manifest.ts');
    await activateBackend();
    const source = await resolveModelSource(ctx.params.source, ctx.workspaceRoot, { baseDir: ctx.pipelineDir });
    const model = await loadModel(source.dir, { head: ctx.params.head, labels: ctx.params.labels, strict: ctx.params.strict, seed: ctx.seed });
    // The model artifact is also data-prep/tokenize's tokenizer: a missing, empty, binary or UTF-16 vocab.txt stops here.
    await checkTokenizerFiles(source.dir, model.config.vocab_size, await existingTokenizerFiles(source.dir), true).catch((error: unknown) => {
      model.dispose();
      throw error;
    });
    try {
      const report = model.loadReport;
      for (const [key, names] of Object.entries(report)) {
        if (Array.isArray(names) && names.length > 0) ctx.log.info(`${key}: ${names.map((n) => (Array.isArray(n) ? n.join(' → ') : n)).join(', ')}`);
      }
      const out = ctx.outputs.model!.dir;
      const { files } = await saveModel(model, out);
      await writeManifest(out, modelManifest(model, files, {
        source: { spec: ctx.params.source, kind: source.kind, digest: await digestFolder(source.dir) },
        newlyInitialized: report.newlyInitialized,
      }));
    } finally {
      model.dispose();
    }
  },
});
