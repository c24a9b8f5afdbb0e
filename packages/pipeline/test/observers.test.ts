/** runPipeline(spec, { observers }): every event reaches every observer, in order; a throwing observer breaks nothing. */
import { describe, expect, test } from '@jest/globals';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunObserver } from '../src/sdk/run-events.ts';
import { runPipeline } from '../src/runner/run-pipeline.ts';
import { loadPipeline } from '../src/spec/load-pipeline.ts';
import { workspace } from './helpers.ts';

const fixture = join(fileURLToPath(import.meta.url), '..', 'fixtures', 'metrics-stage.ts');

describe('run observers', () => {
  test('receive run, stage, metric, tag, log, progress and artifact events; cached stages report producedBy', async () => {
    const dir = workspace({ 'pipeline.yaml': 'name: observed\nexperiment: exp\nparams: { a: 1 }\nstages:\n  train:\n    uses: ./metrics-stage.ts\n' });
    copyFileSync(fixture, join(dir, 'metrics-stage.ts'));
    const events: string[] = [];
    const record: RunObserver = {
      runStarted: (e) => void events.push(`runStarted ${e.pipelineName} ${e.experiment} ${JSON.stringify(e.params)}`),
      stageStarted: (e) => void events.push(`stageStarted ${e.stageId} ${JSON.stringify(e.params)}`),
      stageMetric: (e) => void events.push(`metric ${e.key}=${e.value}@${e.step}`),
      stageTag: (e) => void events.push(`tag ${e.key}=${e.value}`),
      stageLog: (e) => void events.push(`log ${e.message}`),
      stageProgress: (e) => void events.push(`progress ${e.done}/${e.total}`),
      stageArtifact: (e) => void events.push(`artifact ${e.path}`),
      stageFinished: (e) => void events.push(`stageFinished ${e.stageId} ${e.status}${e.producedBy ? ` from ${e.producedBy.stageId}` : ''}`),
      runFinished: (e) => void events.push(`runFinished ${e.status}`),
    };
    const broken: RunObserver = { stageMetric: () => { throw new Error('observer bug'); } };
    const warnings: string[] = [];
    const store = join(dir, 'store');
    const pipeline = await loadPipeline(join(dir, 'pipeline.yaml'));
    const first = await runPipeline(pipeline, { observers: [record, broken], storeRoot: store, warn: (m) => warnings.push(m) });
    expect(first.status).toBe('succeeded');
    const committed = join(first.stages.train!.outputs.out!.path, 'metrics.json');
    expect(events).toEqual([
      'runStarted observed exp {"a":1}',
      'stageStarted train {"steps":2}',
      'metric loss=1@1',
      'progress 1/2',
      'metric loss=0.5@2',
      'progress 2/2',
      'metric f1=0.5@9',
      'metric accuracy=0.75@9',
      'tag strategy=lora',
      'log done training',
      `artifact ${committed}`,
      'stageFinished train ran',
      'runFinished succeeded',
    ]);
    expect(warnings).toEqual(['run observer #2 failed on stageMetric: observer bug']);
    events.length = 0;
    const second = await runPipeline(pipeline, { observers: [record], storeRoot: store });
    expect(second.stages.train!.status).toBe('cached');
    expect(events).toEqual(['runStarted observed exp {"a":1}', 'stageFinished train cached from train', 'runFinished succeeded']);
  });
});
