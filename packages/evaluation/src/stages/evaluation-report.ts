/**
 * `evaluation/report`: one self-contained HTML file from any number of `metrics` artifacts.
 * Every input accepts one artifact (`stage.metrics`) or all cells of a matrix stage
 * (`stage[*].metrics`). The input name only gives a default role; the `kind` inside metrics.json wins.
 */
import { defineStage } from '@tunekit/pipeline';

export interface ReportParams {
  title: string;
  subtitle?: string;
  pipeline?: string;
}

const metricsSlot = (description: string) => ({ kind: 'metrics', optional: true, collection: true, description });

export default defineStage<ReportParams>({
  id: 'evaluation/report',
  version: '2',
  description: 'Self-contained HTML report (inline SVG plots rendered with Vega-Lite in Node): metrics per strategy, curves, calibration, baselines, few-shot, forgetting, domain shift, DAG.',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      title: { type: 'string', default: 'TuneKit evaluation report', description: 'Report title.' },
      subtitle: { type: 'string', description: 'Line under the title (e.g. dataset and split).' },
      pipeline: { type: 'string', 'x-tunekit-file': true, description: 'Pipeline YAML to draw as the DAG (relative to the pipeline file), usually the pipeline itself.' },
    },
  },
  inputs: {
    metrics: metricsSlot('fine-tuned models (e.g. evaluate[*].metrics)'),
    training: metricsSlot('training metrics with per-epoch history (e.g. train[*].metrics), merged by name'),
    baselines: metricsSlot('baseline metrics (dictionary, zero-shot)'),
    zero_shot: metricsSlot('a second baseline slot, e.g. evaluation/baseline-zero-shot next to the dictionary in baselines'),
    few_shot: metricsSlot('few-shot metrics (e.g. fewshot-eval[*].metrics)'),
    calibration: metricsSlot('evaluation/calibrate metrics'),
    forgetting: metricsSlot('evaluation/forgetting metrics'),
    cross_domain: metricsSlot('fine-tuned models scored on another corpus (evaluation/ner with kind: cross-domain and entity_types), for the domain-shift table'),
  },
  outputs: { report: { kind: 'report', description: 'report.html' } },
  async run(ctx) {
    const { readFile, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { writeManifest } = await import('@tunekit/pipeline');
    const { readMetricsFile, mergeMetricsFiles } = await import('../metrics-file/read-write.ts');
    const { buildReport } = await import('../report/build-report.ts');
    const { dagFromPipelineYaml } = await import('../report/pipeline-dag.ts');
    const { inputArtifacts, resolveParamPath } = await import('./stage-helpers.ts');

    const files = [];
    for (const slot of ['training', 'metrics', 'baselines', 'zero_shot', 'few_shot', 'calibration', 'forgetting', 'cross_domain']) {
      for (const artifact of inputArtifacts(ctx, slot)) files.push(await readMetricsFile(artifact.dir));
    }
    if (files.length === 0) throw new Error('evaluation/report: no metrics input; connect at least one metrics artifact');
    const entries = mergeMetricsFiles(files);
    let dag;
    if (ctx.params.pipeline) {
      const path = await resolveParamPath(ctx, ctx.params.pipeline);
      dag = dagFromPipelineYaml(await readFile(path, 'utf8'), path);
    }
    const html = await buildReport({ title: ctx.params.title, subtitle: ctx.params.subtitle, entries, dag });
    const out = ctx.outputs.report!.dir;
    const path = join(out, 'report.html');
    await writeFile(path, html);
    await writeManifest(out, { kind: 'report', schemaVersion: 1, file: 'report.html', entries: entries.map((e) => ({ name: e.name, kind: e.kind })) });
    ctx.log.artifact(path);
    ctx.log.info(`report with ${entries.length} entries: ${path}`);
  },
});
