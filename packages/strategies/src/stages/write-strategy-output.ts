/** The body of every `strategies/<name>` stage (heavy imports live here). */
import { copyFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { selectBackend } from '@tunekit/compute';
import { loadModel } from '@tunekit/model-loader';
import { readManifest, writeManifest, type StageContext } from '@tunekit/pipeline';
import { applyStrategy } from '../apply-strategy.ts';
import { PEFT_CONFIG_FILE, PEFT_WEIGHTS_FILE } from '../lora/peft-format.ts';
import { STRATEGY_FILE, STRATEGY_WEIGHTS_FILE, readStrategyState, writeStrategyState } from '../state-file.ts';
import '../builtin.ts';

const NOT_COPIED = new Set(['manifest.json', STRATEGY_FILE, STRATEGY_WEIGHTS_FILE, PEFT_CONFIG_FILE, PEFT_WEIGHTS_FILE]);

export async function writeStrategyOutput(name: string, ctx: StageContext): Promise<void> {
  const inputDir = ctx.inputs.model!.dir;
  const outputDir = ctx.outputs.model!.dir;
  const inputManifest = await readManifest(inputDir, 'model');
  const existing = await readStrategyState(inputDir);
  if (existing) {
    throw new Error(`${join(inputDir, STRATEGY_FILE)}: the input model already carries strategy "${existing.name}"; apply a strategy to a base model`);
  }
  await selectBackend();
  const model = await loadModel(inputDir);
  try {
    const { applied, counts } = applyStrategy(model, name, ctx.params, { seed: ctx.seed, log: (m) => ctx.log.info(m) });
    ctx.log.metrics({ trainable_params: counts.trainable, total_params: counts.total, trainable_percent: counts.trainablePercent });
    for (const file of await readdir(inputDir)) {
      if (!NOT_COPIED.has(file)) await copyFile(join(inputDir, file), join(outputDir, file));
    }
    await writeStrategyState(outputDir, model, applied, ctx.seed);
    await writeManifest(outputDir, {
      ...inputManifest,
      strategy: { name, config: applied.config, trainable_params: counts.trainable, total_params: counts.total, trainable_percent: counts.trainablePercent },
    });
  } finally {
    model.dispose();
  }
}
