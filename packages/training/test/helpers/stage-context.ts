import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { JsonSchema, StageContext } from '@tunekit/pipeline';

export interface RecordedLog {
  info: string[];
  metrics: Array<{ values: Record<string, number>; step?: number }>;
  progress: string[];
}

/** Params with the schema's defaults filled, as the engine validates them. */
export function withDefaults<P>(schema: JsonSchema, params: Record<string, unknown>): P {
  const copy = structuredClone(params);
  const validate = new Ajv({ useDefaults: true, strict: false }).compile(schema);
  if (!validate(copy)) throw new Error(JSON.stringify(validate.errors));
  return copy as P;
}

/** A real stage context over given directories (what the engine hands a stage), recording logs. */
export async function stageContext<P>(
  params: P,
  inputs: Record<string, string>,
  outputs: Record<string, string>,
  scratchDir: string,
  seed = 42,
): Promise<{ ctx: StageContext<P>; log: RecordedLog }> {
  const log: RecordedLog = { info: [], metrics: [], progress: [] };
  for (const dir of [...Object.values(outputs), scratchDir]) await mkdir(dir, { recursive: true });
  const ctx: StageContext<P> = {
    stageId: 'test',
    params,
    inputs: Object.fromEntries(Object.entries(inputs).map(([k, dir]) => [k, { dir, digest: `digest-of-${k}` }])),
    outputs: Object.fromEntries(Object.entries(outputs).map(([k, dir]) => [k, { dir }])),
    seed,
    pipelineDir: scratchDir,
    workspaceRoot: scratchDir,
    scratchDir,
    log: {
      info: (m) => log.info.push(m),
      warn: (m) => log.info.push(`warn: ${m}`),
      metric: (key, value, step) => log.metrics.push({ values: { [key]: value }, step }),
      metrics: (values, step) => log.metrics.push({ values, step }),
      tag: () => {},
      artifact: () => {},
    },
    progress: {
      update: (done, total, detail) =>
        log.progress.push(`${done}/${total} ${typeof detail === 'string' ? detail : Object.entries(detail ?? {}).map(([key, value]) => `${key} ${value}`).join(' ')}`),
    },
    signal: new AbortController().signal,
  };
  return { ctx, log };
}

export const join2 = join;
