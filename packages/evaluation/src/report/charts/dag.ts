/**
 * The pipeline DAG drawn with Vega-Lite: node boxes (rect), edges (rule) and labels (text) placed
 * on a layered layout computed by `layerNodes` (x = layer, y = position within the layer).
 */
import { layerNodes, type Dag } from '../pipeline-dag.ts';
import { base, type VegaLiteSpec } from './common.ts';

const BOX_HALF_WIDTH = 0.44;
const BOX_HALF_HEIGHT = 0.32;

export function dagSpec(dag: Dag): VegaLiteSpec | null {
  if (dag.nodes.length === 0) return null;
  const layers = layerNodes(dag);
  const byLayer = new Map<number, string[]>();
  for (const n of dag.nodes) {
    const l = layers.get(n.id)!;
    byLayer.set(l, [...(byLayer.get(l) ?? []), n.id]);
  }
  // Order each layer by the mean position of its parents (barycentre heuristic: fewer crossings).
  const order = new Map<string, number>();
  for (const l of [...byLayer.keys()].sort((a, b) => a - b)) {
    const ids = byLayer.get(l)!;
    const centre = (id: string) => {
      const parents = dag.edges.filter((e) => e.to === id).map((e) => order.get(e.from) ?? 0);
      return parents.length ? parents.reduce((a, b) => a + b, 0) / parents.length : ids.indexOf(id);
    };
    const centres = new Map(ids.map((id) => [id, centre(id)]));
    ids.sort((a, b) => centres.get(a)! - centres.get(b)!);
    ids.forEach((id, i) => order.set(id, i));
  }
  const tallest = Math.max(...[...byLayer.values()].map((ids) => ids.length));
  const position = new Map<string, { x: number; y: number }>();
  for (const [l, ids] of byLayer) {
    const offset = (tallest - ids.length) / 2;
    ids.forEach((id, i) => position.set(id, { x: l, y: offset + i }));
  }
  const nodes = dag.nodes.map((n) => {
    const p = position.get(n.id)!;
    return {
      id: n.id,
      title: n.cells > 1 ? `${n.id} ×${n.cells}` : n.id,
      uses: n.uses,
      x: p.x - BOX_HALF_WIDTH,
      x2: p.x + BOX_HALF_WIDTH,
      y: p.y - BOX_HALF_HEIGHT,
      y2: p.y + BOX_HALF_HEIGHT,
      cx: p.x,
      cy: p.y,
      matrix: n.cells > 1,
    };
  });
  const edges = dag.edges.map((e) => {
    const a = position.get(e.from)!;
    const b = position.get(e.to)!;
    return { x: a.x + BOX_HALF_WIDTH, y: a.y, x2: b.x - BOX_HALF_WIDTH, y2: b.y, label: e.label };
  });
  const layerCount = Math.max(...layers.values()) + 1;
  const xScale = { domain: [-0.5, layerCount - 0.5] };
  const yScale = { domain: [-0.5, tallest - 0.5], reverse: false };
  const hidden = { axis: null };
  return base(`Pipeline DAG${dag.name ? ` — ${dag.name}` : ''}`, {
    width: Math.max(520, layerCount * 175),
    height: Math.max(120, tallest * 62),
    layer: [
      {
        data: { values: edges },
        mark: { type: 'rule', color: '#9ca3af', strokeWidth: 1.5 },
        encoding: {
          x: { field: 'x', type: 'quantitative', scale: xScale, ...hidden },
          y: { field: 'y', type: 'quantitative', scale: yScale, ...hidden },
          x2: { field: 'x2' },
          y2: { field: 'y2' },
          tooltip: [{ field: 'label', title: 'edge' }],
        },
      },
      {
        data: { values: nodes },
        mark: { type: 'rect', cornerRadius: 6, stroke: '#1d4ed8', strokeWidth: 1 },
        encoding: {
          x: { field: 'x', type: 'quantitative', scale: xScale, ...hidden },
          x2: { field: 'x2' },
          y: { field: 'y', type: 'quantitative', scale: yScale, ...hidden },
          y2: { field: 'y2' },
          color: { field: 'matrix', type: 'nominal', scale: { domain: [false, true], range: ['#dbeafe', '#fde68a'] }, legend: null },
          tooltip: [{ field: 'id', title: 'stage' }, { field: 'uses' }],
        },
      },
      {
        data: { values: nodes },
        mark: { type: 'text', fontSize: 12, fontWeight: 600, dy: -6, color: '#111827' },
        encoding: {
          x: { field: 'cx', type: 'quantitative', scale: xScale, ...hidden },
          y: { field: 'cy', type: 'quantitative', scale: yScale, ...hidden },
          text: { field: 'title' },
        },
      },
      {
        data: { values: nodes },
        mark: { type: 'text', fontSize: 9, dy: 8, color: '#4b5563', limit: 150 },
        encoding: {
          x: { field: 'cx', type: 'quantitative', scale: xScale, ...hidden },
          y: { field: 'cy', type: 'quantitative', scale: yScale, ...hidden },
          text: { field: 'uses' },
        },
      },
    ],
  });
}
