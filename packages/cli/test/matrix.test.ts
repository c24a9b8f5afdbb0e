/** matrix: one cell per combination, downstream fan-out, and one stage over every cell ([*]). */
import { describe, expect, test } from '@jest/globals';
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureWorkspace, readText, runJson, statuses, tunekit } from './helpers.ts';

const PIPELINE = `params: { greeting: hi }
stages:
  gen:
    uses: ./plugins/write.ts
    matrix: { word: [alpha, beta], repeat: [1, 2] }
    with: { text: "\${params.greeting}-\${matrix.word}", repeat: "\${matrix.repeat}" }
  shout:
    uses: ./plugins/upper.ts
    inputs: { src: gen.out }
  report:
    uses: ./plugins/collect.ts
    inputs: { parts: "shout[*].out" }
  pick:
    uses: ./plugins/upper.ts
    inputs: { src: "gen[word=beta,repeat=1].out" }
`;

describe('matrix expansion', () => {
  test('cells, fan-out and gathering run as one graph', async () => {
    const ws = fixtureWorkspace({ 'pipeline.yaml': PIPELINE });
    const run = await runJson('pipeline.yaml', ws);
    expect(run.code).toBe(0);
    expect(Object.keys(run.stages)).toEqual([
      'gen[word=alpha,repeat=1]',
      'gen[word=alpha,repeat=2]',
      'gen[word=beta,repeat=1]',
      'gen[word=beta,repeat=2]',
      'shout[word=alpha,repeat=1]',
      'shout[word=alpha,repeat=2]',
      'shout[word=beta,repeat=1]',
      'shout[word=beta,repeat=2]',
      'pick',
      'report',
    ]);
    expect(readText(join(run.stages['shout[word=beta,repeat=2]']!.outputs.out!.path, 'text.txt'))).toBe('HI-BETAHI-BETA');
    const items = JSON.parse(readText(join(run.stages.report!.outputs.out!.path, 'items.json')));
    expect(items).toEqual([
      { stageId: 'shout[word=alpha,repeat=1]', coords: { word: 'alpha', repeat: 1 }, text: 'HI-ALPHA' },
      { stageId: 'shout[word=alpha,repeat=2]', coords: { word: 'alpha', repeat: 2 }, text: 'HI-ALPHAHI-ALPHA' },
      { stageId: 'shout[word=beta,repeat=1]', coords: { word: 'beta', repeat: 1 }, text: 'HI-BETA' },
      { stageId: 'shout[word=beta,repeat=2]', coords: { word: 'beta', repeat: 2 }, text: 'HI-BETAHI-BETA' },
    ]);
    expect(readText(join(run.stages.pick!.outputs.out!.path, 'text.txt'))).toBe('HI-BETA');
    // the collection directory links each item (relative links inside the store)
    const collections = join(ws.store, 'collections');
    const [digest] = readdirSync(collections);
    expect(readText(join(collections, digest!, '2', 'text.txt'))).toBe('HI-BETA');
    expect(readlinkSync(join(collections, digest!, '2')).startsWith('../../objects/')).toBe(true);
    expect(JSON.parse(readText(join(collections, digest!, 'manifest.json'))).items[2].stageId).toBe('shout[word=beta,repeat=1]');
  });

  test('changing one cell reruns that cell, its fan-out and the gathering stage only', async () => {
    const ws = fixtureWorkspace({ 'pipeline.yaml': PIPELINE });
    await runJson('pipeline.yaml', ws);
    ws.write('pipeline.yaml', PIPELINE.replace('[alpha, beta]', '[gamma, beta]'));
    const run = await runJson('pipeline.yaml', ws);
    expect(statuses(run)).toEqual({
      'gen[word=gamma,repeat=1]': 'ran',
      'gen[word=gamma,repeat=2]': 'ran',
      'gen[word=beta,repeat=1]': 'cached',
      'gen[word=beta,repeat=2]': 'cached',
      'shout[word=gamma,repeat=1]': 'ran',
      'shout[word=gamma,repeat=2]': 'ran',
      'shout[word=beta,repeat=1]': 'cached',
      'shout[word=beta,repeat=2]': 'cached',
      pick: 'cached',
      report: 'ran',
    });
  });

  test('tunekit dag prints the expanded graph', async () => {
    const ws = fixtureWorkspace({ 'pipeline.yaml': PIPELINE });
    const text = await tunekit(['dag', 'pipeline.yaml'], { cwd: ws.dir, store: ws.store });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('report  [./plugins/collect.ts]\n  <- shout[word=alpha,repeat=1] (out → parts)');
    const mermaid = await tunekit(['dag', 'pipeline.yaml', '--format', 'mermaid'], { cwd: ws.dir, store: ws.store });
    expect(mermaid.stdout.split('\n')[0]).toBe('flowchart TD');
    expect(mermaid.stdout).toContain('s4 -->|out → parts| s9');
    const dot = await tunekit(['dag', 'pipeline.yaml', '--format', 'dot'], { cwd: ws.dir, store: ws.store });
    expect(dot.stdout).toContain('"gen[word=beta,repeat=1]" -> "pick" [label="out → src"];');
    const bad = await tunekit(['dag', 'pipeline.yaml', '--format', 'png'], { cwd: ws.dir, store: ws.store });
    expect(bad.code).toBe(2);
  });

  test('gathering into an input that takes one artifact is an error', async () => {
    const ws = fixtureWorkspace({ 'pipeline.yaml': PIPELINE.replace('inputs: { src: "gen[word=beta,repeat=1].out" }', 'inputs: { src: "gen[*].out" }') });
    const result = await tunekit(['run', 'pipeline.yaml'], { cwd: ws.dir, store: ws.store });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('pipeline.yaml:15:20: pick: input "src" takes one artifact; "[*]" gathers every cell');
  });
});
