import { describe, expect, test } from '@jest/globals';
import { renderGraph } from '../src/graph/render-graph.ts';
import { selectStages } from '../src/runner/selection.ts';
import { load, loadErrors } from './helpers.ts';

const cmd = (inputs = '', extra = '') => `uses: command\n    run: [echo]\n    outputs: [out]${inputs ? `\n    inputs: ${inputs}` : ''}${extra}`;

describe('graph', () => {
  test('stages come in topological order whatever the file order', async () => {
    const pipeline = await load(`stages:\n  c:\n    ${cmd('{ x: b.out }')}\n  b:\n    ${cmd('{ x: a.out }')}\n  a:\n    ${cmd()}\n`);
    expect(pipeline.stages.map((s) => s.id)).toEqual(['a', 'b', 'c']);
  });

  test('a cycle is reported with its path, starting at the first stage in the file', async () => {
    expect(await loadErrors(`stages:\n  a:\n    ${cmd('{ x: b.out }')}\n  b:\n    ${cmd('{ x: a.out }')}\n`)).toEqual(['pipeline.yaml:11:18: cycle: a -> b -> a']);
  });

  test('a stage consuming itself is a cycle', async () => {
    expect(await loadErrors(`stages:\n  a:\n    ${cmd('{ x: a.out }')}\n`)).toEqual(['pipeline.yaml:6:18: cycle: a -> a (a stage cannot consume its own output)']);
  });

  test('an unknown output of a command stage', async () => {
    expect(await loadErrors(`stages:\n  a:\n    ${cmd()}\n  b:\n    ${cmd('{ x: a.model }')}\n`)).toEqual(['pipeline.yaml:10:18: b: unknown output "model" of stage "a" (its outputs: out)']);
  });

  test('a repeated matrix value gives a duplicate stage id', async () => {
    expect(await loadErrors(`stages:\n  a:\n    ${cmd('', '\n    matrix: { k: [x, x] }')}\n`)).toEqual(['pipeline.yaml:6:13: duplicate stage id "a[k=x]" (repeated matrix value)']);
  });
});

describe('matrix', () => {
  const yaml = `stages:
  prep:
    ${cmd()}
  train:
    ${cmd('{ data: prep.out }', '\n    matrix: { strategy: [full, lora], lr: [1, 2] }')}
  eval:
    ${cmd('{ model: train.out }')}
  report:
    ${cmd('{ all: "eval[*].out" }')}
  best:
    ${cmd('{ m: "train[strategy=lora,lr=2].out" }')}
`;

  test('a matrix stage has one cell per combination; consumers fan out; [*] gathers', async () => {
    const pipeline = await load(yaml);
    expect(pipeline.stages.map((s) => s.id)).toEqual([
      'prep',
      'train[strategy=full,lr=1]',
      'train[strategy=full,lr=2]',
      'train[strategy=lora,lr=1]',
      'train[strategy=lora,lr=2]',
      'eval[strategy=full,lr=1]',
      'eval[strategy=full,lr=2]',
      'eval[strategy=lora,lr=1]',
      'eval[strategy=lora,lr=2]',
      'best',
      'report',
    ]);
    const byId = new Map(pipeline.stages.map((s) => [s.id, s]));
    expect(byId.get('eval[strategy=lora,lr=1]')!.inputs).toEqual({ model: { kind: 'single', stageId: 'train[strategy=lora,lr=1]', output: 'out' } });
    expect(byId.get('report')!.inputs.all).toEqual({
      kind: 'gather',
      output: 'out',
      items: [
        { stageId: 'eval[strategy=full,lr=1]', coords: { strategy: 'full', lr: 1 } },
        { stageId: 'eval[strategy=full,lr=2]', coords: { strategy: 'full', lr: 2 } },
        { stageId: 'eval[strategy=lora,lr=1]', coords: { strategy: 'lora', lr: 1 } },
        { stageId: 'eval[strategy=lora,lr=2]', coords: { strategy: 'lora', lr: 2 } },
      ],
    });
    expect(byId.get('best')!.inputs.m).toEqual({ kind: 'single', stageId: 'train[strategy=lora,lr=2]', output: 'out' });
  });

  test('a consumer of two matrix stages with the same dimension pairs matching cells', async () => {
    const pipeline = await load(`stages:\n  a:\n    ${cmd('', '\n    matrix: { k: [x, y] }')}\n  b:\n    ${cmd('', '\n    matrix: { k: [x, y] }')}\n  c:\n    ${cmd('{ a: a.out, b: b.out }')}\n`);
    const cells = pipeline.stages.filter((s) => s.name === 'c');
    expect(cells.map((s) => [s.id, (s.inputs.a as { stageId: string }).stageId, (s.inputs.b as { stageId: string }).stageId])).toEqual([
      ['c[k=x]', 'a[k=x]', 'b[k=x]'],
      ['c[k=y]', 'a[k=y]', 'b[k=y]'],
    ]);
  });

  test('${matrix.x} is substituted with its type', async () => {
    const pipeline = await load(`stages:\n  a:\n    ${cmd('', '\n    matrix: { r: [4, 8] }\n    with: { r: "${matrix.r}", name: "lora-r${matrix.r}" }')}\n`);
    expect(pipeline.stages.map((s) => s.params)).toEqual([{ r: 4, name: 'lora-r4' }, { r: 8, name: 'lora-r8' }]);
  });

  test('a selector that matches no cell is an error', async () => {
    const errors = await loadErrors(yaml.replace('strategy=lora,lr=2', 'strategy=adapter'));
    expect(errors[0]).toMatch(/^pipeline\.yaml:26:18: "train\[strategy=adapter\]\.out" selects 0 cells of "train"/);
  });

  test('dag rendering lists every edge once per cell', async () => {
    const pipeline = await load(yaml);
    expect(renderGraph(pipeline.stages, 'dot').match(/->/g)).toHaveLength(4 + 4 + 4 + 1);
  });

  test('selection: --only takes what the stage needs; --from forces downstream; --force one stage', async () => {
    const pipeline = await load(yaml);
    const only = selectStages(pipeline.stages, { only: ['best'] });
    expect([...only.included].sort()).toEqual(['best', 'prep', 'train[strategy=lora,lr=2]']);
    const from = selectStages(pipeline.stages, { from: ['eval[strategy=full,lr=1]'] });
    expect([...from.forced].sort()).toEqual(['eval[strategy=full,lr=1]', 'report']);
    const force = selectStages(pipeline.stages, { force: ['prep'] });
    expect([...force.forced]).toEqual(['prep']);
    expect(() => selectStages(pipeline.stages, { only: ['nope'] })).toThrow('unknown stage "nope"');
  });
});

describe('dag rendering of hostile matrix values (issue 18, finding 8)', () => {
  // Matrix values end up in stage ids: `"`, `|`, `<`, `#`, `\` and a newline must not break the syntax.
  const hostile = `stages:\n  a:\n    ${cmd('', '\n    matrix: { k: [\'say "hi"\', "x|y<b>#1", "ends\\\\", "two\\nlines"] }')}\n  b:\n    ${cmd('{ x: a.out }')}\n`;

  /** Graphviz's lexer for quoted strings (lib/cgraph/scan.l): only `\"` is an escape; `"` ends the string. */
  function dotQuoted(line: string): string[] {
    const found: string[] = [];
    let i = 0;
    while ((i = line.indexOf('"', i)) !== -1) {
      let text = '';
      for (i++; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === '\\' && line[i + 1] === '"') {
          text += '"';
          i++;
        } else text += line[i];
      }
      if (i >= line.length) throw new Error(`unterminated string in: ${line}`);
      found.push(text);
      i++;
    }
    return found;
  }

  test('mermaid: every node is one well-formed quoted label, special characters as entity codes', async () => {
    const pipeline = await load(hostile);
    const lines = renderGraph(pipeline.stages, 'mermaid').split('\n');
    const nodes = lines.filter((line) => /^ {2}s\d+\[/.test(line));
    expect(nodes).toHaveLength(8);
    for (const node of nodes) expect(node).toMatch(/^ {2}s\d+\["[^"\n]*"\]$/);
    expect(nodes[0]).toBe('  s0["a[k=say #34;hi#34;]<br/><small>command</small>"]');
    expect(nodes[1]).toBe('  s1["a[k=x#124;y#60;b#62;#35;1]<br/><small>command</small>"]');
    expect(nodes[3]).toBe('  s3["a[k=two#10;lines]<br/><small>command</small>"]');
    expect(lines.filter((line) => line.includes('-->'))).toHaveLength(4);
  });

  test('dot: ids and labels survive Graphviz quoting (`"` and a trailing backslash escaped)', async () => {
    const pipeline = await load(hostile);
    const lines = renderGraph(pipeline.stages, 'dot').split('\n');
    const ids = pipeline.stages.map((stage) => stage.id);
    const nodeIds = lines.filter((line) => line.includes('[label=') && !line.includes('->')).map((line) => dotQuoted(line)[0]);
    // An id is the stage id with `\` doubled and a newline written `\n` (and read back the same way in edges).
    expect(nodeIds).toEqual(ids.map((id) => id.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')));
    const edges = lines.filter((line) => line.includes('->')).map((line) => dotQuoted(line));
    expect(edges).toHaveLength(4);
    for (const [from, to, label] of edges) {
      expect(nodeIds).toContain(from);
      expect(to).toMatch(/^b\[k=/);
      expect(label).toBe('out → x');
    }
  });
});
