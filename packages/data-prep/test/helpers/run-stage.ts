import type { StageDefinition } from '@tunekit/pipeline';
import { makeContext } from './stage-context.ts';

/** Run a stage once on a fresh context; returns its output dirs and recorded metrics. */
export async function runStage<P>(
  stage: StageDefinition<P>,
  options: { params: Record<string, unknown>; inputs?: Record<string, string>; seed?: number; pipelineDir?: string },
) {
  const { ctx, metrics, outputDir } = await makeContext(stage, options);
  await stage.run(ctx);
  return { outputs: Object.fromEntries(Object.keys(stage.outputs).map((name) => [name, outputDir(name)])), metrics, ctx };
}
