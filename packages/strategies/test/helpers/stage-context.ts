import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { StageContext } from '@tunekit/pipeline';
import { tempDir } from './temp.ts';

export interface RecordedLog {
  info: string[];
  metrics: Array<{ values: Record<string, number>; step?: number }>;
}

/** A real stage context over temp directories (what the engine hands a stage), recording logs. */
export async function stageContext(params: Record<string, unknown>, inputs: Record<string, string>, outputs: string[], seed = 42): Promise<{ ctx: StageContext; log: RecordedLog }> {
  const root = await tempDir('tunekit-stage-');
  const log: RecordedLog = { info: [], metrics: [] };
  const outputDirs: Record<string, { dir: string }> = {};
  for (const name of outputs) {
    const dir = join(root, 'out', name);
    await mkdir(dir, { recursive: true });
    outputDirs[name] = { dir };
  }
  await mkdir(join(root, 'scratch'));
  const ctx: StageContext = {
    stageId: 'test',
    params,
    inputs: Object.fromEntries(Object.entries(inputs).map(([k, dir]) => [k, { dir, digest: `digest-of-${k}` }])),
    outputs: outputDirs,
    seed,
    pipelineDir: root,
    workspaceRoot: root,
    scratchDir: join(root, 'scratch'),
    log: {
      info: (m) => log.info.push(m),
      warn: (m) => log.info.push(`warn: ${m}`),
      metric: (key, value, step) => log.metrics.push({ values: { [key]: value }, step }),
      metrics: (values, step) => log.metrics.push({ values, step }),
      tag: () => {},
      artifact: () => {},
    },
    progress: { update: () => {} },
    signal: new AbortController().signal,
  };
  return { ctx, log };
}
