import type { PlannedStage } from '../spec/load-pipeline.ts';

export type GraphFormat = 'text' | 'mermaid' | 'dot';

interface Edge {
  from: string;
  to: string;
  label: string;
}

function edgesOf(stages: PlannedStage[]): Edge[] {
  const edges: Edge[] = [];
  for (const stage of stages) {
    for (const [name, input] of Object.entries(stage.inputs)) {
      const sources = input.kind === 'single' ? [input.stageId] : input.items.map((item) => item.stageId);
      for (const from of sources) edges.push({ from, to: stage.id, label: `${input.output} → ${name}` });
    }
  }
  return edges;
}

/** The expanded stage graph (matrix cells as nodes) as text, Mermaid or Graphviz dot. */
export function renderGraph(stages: PlannedStage[], format: GraphFormat): string {
  const edges = edgesOf(stages);
  if (format === 'text') {
    return stages
      .map((stage) => {
        const deps = edges.filter((edge) => edge.to === stage.id).map((edge) => `${edge.from} (${edge.label})`);
        return `${stage.id}  [${stage.uses}]${deps.length ? `\n  <- ${deps.join('\n  <- ')}` : ''}`;
      })
      .join('\n');
  }
  const ids = new Map(stages.map((stage, i) => [stage.id, `s${i}`]));
  if (format === 'mermaid') {
    const lines = ['flowchart TD'];
    for (const stage of stages) lines.push(`  ${ids.get(stage.id)}["${stage.id}<br/><small>${stage.uses}</small>"]`);
    for (const edge of edges) lines.push(`  ${ids.get(edge.from)} -->|${edge.label.replace(/\|/g, '/')}| ${ids.get(edge.to)}`);
    return lines.join('\n');
  }
  const quote = (text: string) => JSON.stringify(text);
  const lines = ['digraph pipeline {', '  rankdir=TB;', '  node [shape=box];'];
  for (const stage of stages) lines.push(`  ${quote(stage.id)} [label=${quote(`${stage.id}\n${stage.uses}`)}];`);
  for (const edge of edges) lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)} [label=${quote(edge.label)}];`);
  lines.push('}');
  return lines.join('\n');
}
