/** The loop's hooks for a stage: step metrics and evaluations to tracking and the log, progress to the console. */
import type { StageContext } from '@tunekit/pipeline';
import type { LoopHooks } from './train-loop.ts';

export function stageLoopHooks(ctx: StageContext<unknown>): LoopHooks {
  return {
    info: (m) => ctx.log.info(m),
    onStepMetrics: (step, metrics) => ctx.log.metrics(metrics, step),
    onEvaluation: (record) => {
      const { step, epoch: _epoch, ...values } = record;
      ctx.log.metrics(Object.fromEntries(Object.entries(values).filter(([, v]) => Number.isFinite(v))), step);
      ctx.log.info(`step ${step}: ${Object.entries(values).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(' ')}`);
    },
    onProgress: (step, total, detail) => ctx.progress.update(step, total, { unit: 'step', ...detail }),
  };
}
