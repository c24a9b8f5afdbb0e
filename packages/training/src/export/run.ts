/** The body of `training/export` (heavy imports live here, loaded inside `run`). */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readManifest, writeManifest, type CollectionItem, type StageContext } from '@tunekit/pipeline';
import { coordsKey, selectBest, type Candidate } from './select-best.ts';

export interface ExportParams {
  metric: string;
  mode: 'max' | 'min';
  split: string;
}

export const SELECTION_FILE = 'tunekit_selection.json';
/** Files that travel with the chosen model unchanged when present (PEFT adapter, fitted temperature). */
const CARRIED_FILES = ['adapter_config.json', 'adapter_model.safetensors', 'tunekit_calibration.json'];

function items(ctx: StageContext<ExportParams>, name: string): CollectionItem[] {
  const input = ctx.inputs[name];
  if (!input) throw new Error(`training/export: input "${name}" is missing`);
  return input.items ?? [{ stageId: name, coords: {}, dir: input.dir, digest: input.digest }];
}

async function metricValue(item: CollectionItem, params: ExportParams): Promise<number> {
  const path = join(item.dir, 'metrics.json');
  let file: { split?: unknown; metrics?: Record<string, unknown> };
  try {
    file = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`training/export: ${item.stageId}: cannot read ${path} (${(error as Error).message})`);
  }
  if (file.split !== params.split) {
    throw new Error(`training/export: ${item.stageId}: metrics are on split "${String(file.split)}", expected "${params.split}" (select on validation, report on test)`);
  }
  const value = file.metrics?.[params.metric];
  if (typeof value !== 'number') {
    throw new Error(`training/export: ${item.stageId}: ${path} has no number "metrics.${params.metric}" (has: ${Object.keys(file.metrics ?? {}).join(', ')})`);
  }
  return value;
}

/** Pair each model with the metrics of the same matrix cell, pick the best, write it merged. */
export async function runExport(ctx: StageContext<ExportParams>): Promise<void> {
  const models = items(ctx, 'models');
  const metrics = items(ctx, 'metrics');
  const byCoords = new Map(metrics.map((m) => [coordsKey(m.coords), m]));
  const candidates: (Candidate & { dir: string })[] = [];
  for (const model of models) {
    const m = byCoords.get(coordsKey(model.coords));
    if (!m) {
      throw new Error(`training/export: no metrics for ${model.stageId} (coordinates ${JSON.stringify(model.coords)}); metrics cells: ${metrics.map((x) => x.stageId).join(', ')}`);
    }
    candidates.push({ stageId: model.stageId, coords: model.coords, value: await metricValue(m, ctx.params), dir: model.dir });
  }
  const { best } = selectBest(candidates, ctx.params.mode);
  const chosen = candidates.find((c) => c.stageId === best.stageId)!;
  for (const c of candidates) ctx.log.info(`${c.stageId}: ${ctx.params.split} ${ctx.params.metric} ${c.value.toFixed(4)}${c === chosen ? '  <- selected' : ''}`);

  const { selectBackend } = await import('@tunekit/compute');
  const { saveModel } = await import('@tunekit/model-loader');
  const { loadModelWithStrategy, STRATEGY_FILE, STRATEGY_WEIGHTS_FILE } = await import('@tunekit/strategies');
  await selectBackend();
  const out = ctx.outputs.model!.dir;
  const { model, strategy } = await loadModelWithStrategy(chosen.dir, { merge: true });
  let weights: 'plain' | 'merged' | 'base+strategy';
  try {
    if (!strategy || strategy.addedParams.length === 0) weights = 'plain';
    else if (strategy.merge) weights = 'merged';
    else weights = 'base+strategy';
    if (weights === 'base+strategy') {
      // Added layers that cannot be folded into the base weights (bottleneck adapters): the
      // base weights unchanged plus the strategy files, which loaders re-apply; the strategy's
      // export adds its tensors to model.safetensors so a plain transformers load warns about them.
      await saveModel(model, out, { tokenizerFrom: chosen.dir });
      await strategy!.exportFiles?.(out, { baseModelNameOrPath: chosen.stageId });
      for (const file of [STRATEGY_FILE, STRATEGY_WEIGHTS_FILE]) await copyFile(join(chosen.dir, file), join(out, file));
    } else {
      // LoRA is merged (W + BA) into model.safetensors; full/partial weights are plain.
      await saveModel(model, out, { tokenizerFrom: chosen.dir });
    }
  } finally {
    model.dispose();
  }
  const carried: string[] = [];
  for (const file of CARRIED_FILES) {
    try {
      await copyFile(join(chosen.dir, file), join(out, file));
      carried.push(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const selection = {
    metric: ctx.params.metric,
    mode: ctx.params.mode,
    split: ctx.params.split,
    selected: best.stageId,
    coords: best.coords,
    value: best.value,
    weights,
    candidates: candidates.map(({ stageId, coords, value }) => ({ stageId, coords, value })),
  };
  await writeFile(join(out, SELECTION_FILE), JSON.stringify(selection, null, 2) + '\n');
  const manifest = await readManifest(chosen.dir, 'model');
  await writeManifest(out, { ...manifest, kind: 'model', schemaVersion: 1, exported: { ...selection, files: carried } });
  ctx.log.metrics({ [`selected_${ctx.params.metric}`]: best.value });
  ctx.log.tag('tunekit.selected', best.stageId);
  ctx.log.info(`exported ${best.stageId} (${weights} weights${carried.length ? ' + ' + carried.join(', ') : ''})`);
}
