import { parseInputReference } from '../spec/references.ts';
import type { InputReference, PipelineDocument } from '../spec/types.ts';
import { issueAt, type YamlSource } from '../spec/yaml-source.ts';
import { PipelineError, type PipelineIssue } from '../spec/pipeline-error.ts';

/** Stages (by name, before matrix expansion) and the edges their `inputs:` declare. */
export interface StageGraph {
  /** Stage names in a topological order (a stage after everything it consumes; ties in file order). */
  order: string[];
  /** name → input name → parsed reference. */
  references: Map<string, Map<string, InputReference>>;
  /** name → names it consumes. */
  upstream: Map<string, Set<string>>;
}

/** Build the stage graph; unknown stages, malformed references and cycles are pipeline errors. */
export function buildStageGraph(document: PipelineDocument, source: YamlSource): StageGraph {
  const names = Object.keys(document.stages);
  const issues: PipelineIssue[] = [];
  const references = new Map<string, Map<string, InputReference>>();
  const upstream = new Map<string, Set<string>>();
  for (const name of names) {
    const refs = new Map<string, InputReference>();
    const deps = new Set<string>();
    for (const [input, text] of Object.entries(document.stages[name]!.inputs ?? {})) {
      const path = ['stages', name, 'inputs', input];
      const parsed = parseInputReference(text);
      if ('error' in parsed) {
        issues.push(issueAt(source, path, parsed.error));
        continue;
      }
      if (!(parsed.stage in document.stages)) {
        issues.push(issueAt(source, path, `unknown stage "${parsed.stage}" in input "${input}: ${text}" (stages: ${names.join(', ')})`));
        continue;
      }
      if (parsed.stage === name) {
        issues.push(issueAt(source, path, `cycle: ${name} -> ${name} (a stage cannot consume its own output)`));
        continue;
      }
      refs.set(input, parsed);
      deps.add(parsed.stage);
    }
    references.set(name, refs);
    upstream.set(name, deps);
  }
  if (issues.length > 0) throw new PipelineError(issues);
  const cycle = findCycle(names, upstream);
  if (cycle) {
    const [first, second] = cycle as [string, string];
    const input = [...references.get(second)!.entries()].find(([, ref]) => ref.stage === first)?.[0];
    throw new PipelineError(
      issueAt(source, input ? ['stages', second, 'inputs', input] : ['stages', second], `cycle: ${cycle.join(' -> ')}`),
    );
  }
  return { order: topologicalOrder(names, upstream), references, upstream };
}

/** A cycle as a path `a -> b -> ... -> a` (each arrow: "is consumed by"), or undefined. */
export function findCycle(names: string[], upstream: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const dep of upstream.get(name) ?? []) {
      if (state.get(dep) === 'visiting') {
        // stack holds consumers after their dependencies reversed: print in data-flow order.
        const loop = stack.slice(stack.indexOf(dep)).reverse();
        // start at the stage that comes first in the file, for a stable message
        const start = loop.indexOf(names.find((n) => loop.includes(n))!);
        const rotated = [...loop.slice(start), ...loop.slice(0, start)];
        return [...rotated, rotated[0]!];
      }
      if (!state.has(dep)) {
        const found = visit(dep);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of names) {
    if (!state.has(name)) {
      const found = visit(name);
      if (found) return found;
    }
  }
  return undefined;
}

/** Kahn's algorithm; among ready stages, file order wins (stable, readable output). */
export function topologicalOrder(names: string[], upstream: Map<string, Set<string>>): string[] {
  const remaining = new Map(names.map((name) => [name, new Set(upstream.get(name))]));
  const order: string[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining.keys()].filter((name) => remaining.get(name)!.size === 0);
    if (ready.length === 0) throw new Error('topologicalOrder: graph has a cycle');
    for (const name of ready) {
      order.push(name);
      remaining.delete(name);
      for (const deps of remaining.values()) deps.delete(name);
    }
  }
  return order;
}
