import type { LoadedPipeline, RunObserver } from '@tunekit/pipeline/engine';

/**
 * Attach experiment tracking when `@tunekit/tracking` provides `createTrackingObserver(options)`.
 * Loaded lazily and only through that interface; a tracking package that is missing or not ready
 * yet leaves the run untracked (with a note when it fails to load).
 */
export async function trackingObservers(pipeline: LoadedPipeline, warn: (message: string) => void): Promise<RunObserver[]> {
  if (process.env.TUNEKIT_TRACKING === '0') return [];
  const specifier = '@tunekit/tracking';
  let module: Record<string, unknown>;
  try {
    module = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    warn(`tracking disabled: cannot load ${specifier} (${(error as Error).message.split('\n')[0]})`);
    return [];
  }
  const create = module.createTrackingObserver as
    | ((options: { workspaceRoot: string }) => RunObserver | Promise<RunObserver>)
    | undefined;
  if (typeof create !== 'function') return [];
  // The pipeline's tracking.uri reaches the observer through the runStarted event.
  return [await create({ workspaceRoot: pipeline.workspaceRoot })];
}
