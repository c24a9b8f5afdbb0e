/** Writes a `metrics` artifact: metrics.json + manifest.json, and logs the scalars for tracking. */
import type { StageContext } from '@tunekit/pipeline';
import { writeManifest } from '@tunekit/pipeline';
import { writeMetricsFile } from '../metrics-file/read-write.ts';
import { METRICS_FILE, type MetricsFile } from '../metrics-file/schema.ts';
import type { MetricsEntryParams } from './metrics-params.ts';
import { coordinates, displayName, logMetrics } from './stage-helpers.ts';

/** Name / strategy / k of the entry from params, falling back to the stage id's matrix values. */
export function entryIdentity(ctx: Pick<StageContext, 'stageId'>, params: MetricsEntryParams): Pick<MetricsFile, 'name' | 'kind' | 'strategy' | 'k'> {
  const coords = coordinates(ctx.stageId);
  const k = params.k ?? (coords.k !== undefined && /^\d+$/.test(coords.k) ? Number(coords.k) : undefined);
  const strategy = params.strategy ?? coords.strategy;
  return {
    name: params.name ?? displayName(ctx.stageId),
    kind: params.kind,
    ...(strategy !== undefined ? { strategy } : {}),
    ...(k !== undefined ? { k } : {}),
  };
}

export async function writeMetricsArtifact(ctx: Pick<StageContext, 'log'>, dir: string, metrics: MetricsFile): Promise<void> {
  const path = await writeMetricsFile(dir, metrics);
  await writeManifest(dir, { kind: 'metrics', schemaVersion: 1, file: METRICS_FILE, name: metrics.name, entryKind: metrics.kind, task: metrics.task });
  logMetrics(ctx, metrics.metrics);
  ctx.log.artifact(path);
}
