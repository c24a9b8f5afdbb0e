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

/**
 * Text inside a Mermaid label: every character Mermaid or its HTML labels give a meaning to
 * (`"` ends a quoted label, `|` an edge label, `<`/`>`/`&` are markup, `#` starts an entity,
 * control characters end the line) becomes an entity code `#<n>;`.
 */
export function escapeMermaid(text: string): string {
  return text.replace(/["#&<>|\u0000-\u001f\u007f]/g, (char) => `#${char.charCodeAt(0)};`);
}

/**
 * A Graphviz quoted string for a label: `"` and `\` are escaped (a bare `\` would escape the closing
 * quote or start a label escape such as `\N`), newlines become `\n`.
 */
export function quoteDot(text: string): string {
  return `"${text.replace(/[\\"]/g, (char) => `\\${char}`).replace(/\r\n|\r|\n/g, '\\n')}"`;
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
  if (format === 'mermaid') {
    // Node ids are synthetic (s0, s1, ...): stage ids and matrix values appear only in labels.
    const ids = new Map(stages.map((stage, i) => [stage.id, `s${i}`]));
    const lines = ['flowchart TD'];
    for (const stage of stages) lines.push(`  ${ids.get(stage.id)}["${escapeMermaid(stage.id)}<br/><small>${escapeMermaid(stage.uses)}</small>"]`);
    for (const edge of edges) lines.push(`  ${ids.get(edge.from)} -->|${escapeMermaid(edge.label)}| ${ids.get(edge.to)}`);
    return lines.join('\n');
  }
  const lines = ['digraph pipeline {', '  rankdir=TB;', '  node [shape=box];'];
  for (const stage of stages) lines.push(`  ${quoteDot(stage.id)} [label=${quoteDot(`${stage.id}\n${stage.uses}`)}];`);
  for (const edge of edges) lines.push(`  ${quoteDot(edge.from)} -> ${quoteDot(edge.to)} [label=${quoteDot(edge.label)}];`);
  lines.push('}');
  return lines.join('\n');
}
