/** Small helpers shared by the evaluation stages (light: no heavy imports). */
import type { InputArtifact, StageContext } from '@tunekit/pipeline';

/**
 * A display name from the stage instance id: the matrix coordinates' values for a matrix cell
 * (`evaluate[strategy=lora]` → `lora`, `fewshot[k=5,strategy=lora]` → `k=5 strategy=lora`), else
 * the stage id itself.
 */
export function displayName(stageId: string): string {
  const match = /^[^[]+\[(.+)\]$/.exec(stageId);
  if (!match) return stageId;
  const pairs = match[1]!.split(',').map((p) => p.split('='));
  return pairs.length === 1 ? pairs[0]![1] ?? match[1]! : pairs.map((p) => p.join('=')).join(' ');
}

/** Matrix coordinates of a stage instance id (`train[strategy=lora,k=5]` → {strategy: 'lora', k: '5'}). */
export function coordinates(stageId: string): Record<string, string> {
  const match = /^[^[]+\[(.+)\]$/.exec(stageId);
  if (!match) return {};
  return Object.fromEntries(match[1]!.split(',').map((p) => p.split('=') as [string, string]));
}

export interface GatheredArtifact {
  dir: string;
  digest?: string;
  /** The producing cell's stage id / coordinates when the engine provides them. */
  stageId?: string;
  coords?: Record<string, unknown>;
}

/**
 * All artifacts bound to one input: a single artifact (`stage.output`) or, for a gathered input
 * (`stage[*].output`), every matrix cell. Accepts the shapes a gathered input may take: an array of
 * artifacts, or an object with an `items` array.
 */
export function inputArtifacts(ctx: Pick<StageContext, 'inputs'>, name: string): GatheredArtifact[] {
  const value = (ctx.inputs as Record<string, unknown>)[name];
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : Array.isArray((value as { items?: unknown }).items) ? (value as { items: unknown[] }).items : [value];
  return list.map((item, i) => {
    const a = item as Partial<InputArtifact> & { stageId?: string; coords?: Record<string, unknown> };
    if (typeof a?.dir !== 'string') throw new Error(`input "${name}"[${i}]: expected an artifact with a "dir"`);
    return { dir: a.dir, digest: a.digest, stageId: a.stageId, coords: a.coords };
  });
}

/** A param path resolved against the pipeline file's directory. */
export async function resolveParamPath(ctx: Pick<StageContext, 'pipelineDir'>, path: string): Promise<string> {
  const { isAbsolute, resolve } = await import('node:path');
  return isAbsolute(path) ? path : resolve(ctx.pipelineDir, path);
}

/** Log every finite metric (NaN / null are not loggable in MLflow's sense and are skipped). */
export function logMetrics(ctx: Pick<StageContext, 'log'>, metrics: Record<string, number | null>, prefix = ''): void {
  const finite: Record<string, number> = {};
  for (const [key, value] of Object.entries(metrics)) if (typeof value === 'number' && Number.isFinite(value)) finite[prefix + key] = value;
  ctx.log.metrics(finite);
}
