/**
 * The pipeline DAG for the report, read from the pipeline YAML: one node per stage (a matrix stage
 * is one node labelled with its cell count), one edge per declared input. Layers are longest-path
 * depths from the sources, which keeps every edge pointing right.
 */
import { parse } from 'yaml';

export interface DagNode {
  id: string;
  uses: string;
  /** Matrix cells, 1 for a plain stage. */
  cells: number;
  matrix?: Record<string, unknown[]>;
}

export interface DagEdge {
  from: string;
  to: string;
  /** `output → input`. */
  label: string;
}

export interface Dag {
  name?: string;
  nodes: DagNode[];
  edges: DagEdge[];
}

const REFERENCE = /^([A-Za-z0-9_-]+)(\[[^\]]*\])?\.([A-Za-z0-9_-]+)$/;

export function dagFromPipelineYaml(text: string, file: string): Dag {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new Error(`${file}: cannot parse YAML (${(error as Error).message})`);
  }
  const stages = (doc as { stages?: unknown })?.stages;
  if (typeof stages !== 'object' || stages === null) throw new Error(`${file}: expected a "stages:" mapping`);
  const nodes: DagNode[] = [];
  const edges: DagEdge[] = [];
  for (const [id, raw] of Object.entries(stages as Record<string, Record<string, unknown>>)) {
    const matrix = (raw?.matrix ?? undefined) as Record<string, unknown[]> | undefined;
    const cells = matrix ? Object.values(matrix).reduce((n, values) => n * (Array.isArray(values) ? values.length : 1), 1) : 1;
    nodes.push({ id, uses: String(raw?.uses ?? ''), cells, ...(matrix ? { matrix } : {}) });
    for (const [input, ref] of Object.entries((raw?.inputs ?? {}) as Record<string, unknown>)) {
      const match = REFERENCE.exec(String(ref));
      if (match) edges.push({ from: match[1]!, to: id, label: `${match[3]} → ${input}` });
    }
  }
  const known = new Set(nodes.map((n) => n.id));
  return { name: (doc as { name?: string }).name, nodes, edges: edges.filter((e) => known.has(e.from)) };
}

/** Longest-path layer of each node (sources at 0); a cycle is reported as an error. */
export function layerNodes(dag: Dag): Map<string, number> {
  const layer = new Map<string, number>();
  const visiting = new Set<string>();
  const parents = new Map<string, string[]>(dag.nodes.map((n) => [n.id, []]));
  for (const e of dag.edges) parents.get(e.to)?.push(e.from);
  const visit = (id: string): number => {
    const known = layer.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) throw new Error(`pipeline graph has a cycle through "${id}"`);
    visiting.add(id);
    const depth = Math.max(-1, ...parents.get(id)!.map(visit)) + 1;
    visiting.delete(id);
    layer.set(id, depth);
    return depth;
  };
  dag.nodes.forEach((n) => visit(n.id));
  return layer;
}
