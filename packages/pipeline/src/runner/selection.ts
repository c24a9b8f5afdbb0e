import { PipelineError } from '../spec/pipeline-error.ts';
import type { PlannedStage } from '../spec/load-pipeline.ts';
import { inputStageIds } from './stage-inputs.ts';

export interface SelectionOptions {
  /** Run these stages and what they need, nothing else. */
  only?: readonly string[];
  /** Rerun these stages and everything downstream of them, ignoring the cache. */
  from?: readonly string[];
  /** Rerun exactly these stages, ignoring the cache (downstream reruns only if outputs change). */
  force?: readonly string[];
  /** Ignore the cache for every stage. */
  noCache?: boolean;
}

/** `train` matches every cell of `train`; `train[strategy=lora]` matches that cell. */
function match(stages: PlannedStage[], names: readonly string[], flag: string): Set<string> {
  const ids = new Set<string>();
  for (const name of names) {
    const found = stages.filter((stage) => stage.id === name || stage.name === name);
    if (found.length === 0) throw new PipelineError({ location: `${flag} ${name}`, message: `unknown stage "${name}" (stages: ${stages.map((s) => s.id).join(', ')})` });
    for (const stage of found) ids.add(stage.id);
  }
  return ids;
}

function closure(start: Set<string>, next: (id: string) => string[]): Set<string> {
  const seen = new Set(start);
  const queue = [...start];
  while (queue.length > 0) {
    for (const id of next(queue.pop()!)) {
      if (!seen.has(id)) {
        seen.add(id);
        queue.push(id);
      }
    }
  }
  return seen;
}

/** Which stages run at all (`included`) and which skip the cache lookup (`forced`). */
export function selectStages(stages: PlannedStage[], options: SelectionOptions): { included: Set<string>; forced: Set<string> } {
  const byId = new Map(stages.map((stage) => [stage.id, stage]));
  const upstream = (id: string) => inputStageIds(byId.get(id)!);
  const downstream = (id: string) => stages.filter((stage) => inputStageIds(stage).includes(id)).map((stage) => stage.id);
  const included = options.only?.length ? closure(match(stages, options.only, '--only'), upstream) : new Set(byId.keys());
  const forced = new Set<string>();
  if (options.from?.length) for (const id of closure(match(stages, options.from, '--from'), downstream)) forced.add(id);
  if (options.force?.length) for (const id of match(stages, options.force, '--force')) forced.add(id);
  for (const stage of stages) if (options.noCache || !stage.cache) forced.add(stage.id);
  return { included, forced };
}
