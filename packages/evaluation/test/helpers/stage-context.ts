/** A StageContext for calling `stage.run(ctx)` directly in tests: temp dirs and recorded logs. */
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StageContext } from '@tunekit/pipeline';

export interface TestContext<P> extends StageContext<P> {
  /** `progress`: one `<unit> <done>/<total>` per ctx.progress.update. */
  logged: { metrics: Record<string, number>; artifacts: string[]; info: string[]; progress: string[] };
}

export async function tempDir(prefix = 'tunekit-eval-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function stageContext<P>(options: {
  stageId: string;
  params: P;
  inputs?: Record<string, unknown>;
  outputs: string[];
  pipelineDir?: string;
}): Promise<TestContext<P>> {
  const root = await tempDir();
  const outputs: Record<string, { dir: string }> = {};
  for (const name of options.outputs) {
    outputs[name] = { dir: join(root, 'out', name) };
    await mkdir(outputs[name]!.dir, { recursive: true });
  }
  const logged = { metrics: {} as Record<string, number>, artifacts: [] as string[], info: [] as string[], progress: [] as string[] };
  return {
    stageId: options.stageId,
    params: options.params,
    inputs: (options.inputs ?? {}) as StageContext['inputs'],
    outputs,
    seed: 42,
    pipelineDir: options.pipelineDir ?? root,
    workspaceRoot: root,
    scratchDir: join(root, 'scratch'),
    log: {
      info: (m) => logged.info.push(m),
      warn: (m) => logged.info.push(`warn: ${m}`),
      metric: (k, v) => (logged.metrics[k] = v),
      metrics: (values) => Object.assign(logged.metrics, values),
      tag: () => {},
      artifact: (p) => logged.artifacts.push(p),
    },
    progress: { update: (done, total, detail) => void logged.progress.push(`${typeof detail === 'object' ? detail.unit : detail} ${done}/${total}`) },
    signal: new AbortController().signal,
    logged,
  };
}
