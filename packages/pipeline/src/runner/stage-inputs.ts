import type { InstanceInput } from '../spec/types.ts';
import type { PlannedStage } from '../spec/load-pipeline.ts';

/** Ids of the stage instances whose outputs `stage` consumes. */
export function inputStageIds(stage: { inputs: Record<string, InstanceInput> }): string[] {
  const ids = new Set<string>();
  for (const input of Object.values(stage.inputs)) {
    if (input.kind === 'single') ids.add(input.stageId);
    else for (const item of input.items) ids.add(item.stageId);
  }
  return [...ids];
}

export type { PlannedStage };
