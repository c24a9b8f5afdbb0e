import { describe, expect, test } from '@jest/globals';
import { load, loadErrors } from './helpers.ts';

const command = (extra = '') => `uses: command\n    run: [echo, hi]\n    outputs: [out]${extra}`;

describe('YAML parsing', () => {
  test('malformed YAML is reported with file:line:col', async () => {
    const errors = await loadErrors('name: x\nstages:\n  a:\n    uses: command\n     run: [echo]\n');
    expect(errors[0]).toBe('pipeline.yaml:4:11: invalid YAML: Nested mappings are not allowed in compact mappings');
  });

  test('a duplicate stage key is reported where it repeats', async () => {
    const errors = await loadErrors(`stages:\n  a:\n    ${command()}\n  a:\n    ${command()}\n`);
    expect(errors[0]).toMatch(/^pipeline\.yaml:6:3: invalid YAML: Map keys must be unique/);
  });
});

describe('schema validation', () => {
  test('an unknown stage field points at its key', async () => {
    const errors = await loadErrors(`stages:\n  a:\n    ${command()}\n    retries: 3\n`);
    expect(errors).toEqual(['pipeline.yaml:6:5: unknown field "retries" (at stages.a)']);
  });

  test('a wrongly typed field names the expected type and the value found', async () => {
    const errors = await loadErrors(`seed: forty-two\nstages:\n  a:\n    ${command()}\n`);
    expect(errors).toEqual(['pipeline.yaml:1:7: expected integer, found string "forty-two" (at seed)']);
  });

  test('a stage without uses is reported at the stage', async () => {
    const errors = await loadErrors('stages:\n  a:\n    with: {}\n');
    expect(errors).toEqual(['pipeline.yaml:3:5: missing required field "uses" (at stages.a)']);
  });

  test('an input reference must look like stage.output', async () => {
    const errors = await loadErrors(`stages:\n  a:\n    ${command()}\n    inputs: { x: "a" }\n`);
    expect(errors[0]).toMatch(/^pipeline\.yaml:6:18: expected a string matching/);
  });
});

describe('params interpolation', () => {
  test('a whole-string reference keeps the value type; embedded references become text', async () => {
    const pipeline = await load(`params: { epochs: 3, name: bert }\nstages:\n  a:\n    ${command()}\n    with: { epochs: "\${params.epochs}", label: "run-\${params.name}-\${params.epochs}" }\n`);
    expect(pipeline.stages[0]!.params).toEqual({ epochs: 3, label: 'run-bert-3' });
  });

  test('a reference inside a reference name resolves first: one param per matrix cell, typed', async () => {
    const pipeline = await load(
      `params: { lr_full: 0.0005, lr_lora: 0.002 }\nstages:\n  a:\n    ${command()}\n    matrix: { strategy: [full, lora] }\n    with: { lr: "\${params.lr_\${matrix.strategy}}", tag: "\${matrix.strategy}@\${params.lr_\${matrix.strategy}}" }\n`,
    );
    expect(pipeline.stages.map((s) => [s.id, s.params])).toEqual([
      ['a[strategy=full]', { lr: 0.0005, tag: 'full@0.0005' }],
      ['a[strategy=lora]', { lr: 0.002, tag: 'lora@0.002' }],
    ]);
  });

  test('a nested reference to a missing param names the resolved reference', async () => {
    const errors = await loadErrors(`params: { lr_full: 1 }\nstages:\n  s:\n    ${command()}\n    matrix: { strategy: [full, lora] }\n    with:\n      x: "\${params.lr_\${matrix.strategy}}"\n`);
    expect(errors).toEqual(['pipeline.yaml:9:10: unknown reference ${params.lr_lora}']);
  });

  test('an unknown reference is an error at the string that holds it', async () => {
    const errors = await loadErrors(`params: { a: 1 }\nstages:\n  s:\n    ${command()}\n    with:\n      x: "\${params.missing}"\n`);
    expect(errors).toEqual(['pipeline.yaml:8:10: unknown reference ${params.missing}']);
  });
});

describe('--set overrides', () => {
  test('a stage param is replaced, parsed as a YAML scalar', async () => {
    const pipeline = await load(`stages:\n  a:\n    ${command()}\n    with: { lr: 0.1, name: x }\n`, { overrides: ['a.with.lr=0.5', 'a.with.name=true'] });
    expect(pipeline.stages[0]!.params).toEqual({ lr: 0.5, name: true });
  });

  test('a value is a YAML scalar unless it is a flow collection', async () => {
    const pipeline = await load(`stages:\n  a:\n    ${command()}\n`, { overrides: ['a.with.q=?', 'a.with.kv=a: b', 'a.with.list=[1, two]', 'a.with.text="3"'] });
    expect(pipeline.stages[0]!.params).toEqual({ q: '?', kv: 'a: b', list: [1, 'two'], text: '3' });
  });

  test('a pipeline param can be overridden and flows into references', async () => {
    const pipeline = await load(`params: { n: 1 }\nstages:\n  a:\n    ${command()}\n    with: { n: "\${params.n}" }\n`, { overrides: ['params.n=7'] });
    expect(pipeline.stages[0]!.params).toEqual({ n: 7 });
  });

  test('an invalid override value is reported as --set, not as a file position', async () => {
    const errors = await loadErrors(`stages:\n  a:\n    ${command()}\n`, { overrides: ['a.seed=abc'] });
    expect(errors).toEqual(['--set a.seed=abc: expected integer, found string "abc" (at stages.a.seed)']);
  });

  test('an override of an unknown stage is an error', async () => {
    const errors = await loadErrors(`stages:\n  a:\n    ${command()}\n`, { overrides: ['b.with.x=1'] });
    expect(errors).toEqual(['--set b.with.x=1: unknown stage "b"']);
  });
});

describe('YAML layout does not matter', () => {
  test('key order and comments give the same resolved document', async () => {
    const a = await load(`name: p\nstages:\n  s:\n    uses: command\n    run: [echo, hi]\n    outputs: [out]\n    with: { a: 1, b: 2 }\n`);
    const b = await load(`# a comment\nstages:\n  s:\n    with: { b: 2, a: 1 }  # params\n    outputs: [out]\n    run: [echo, hi]\n    uses: command\nname: p\n`);
    expect(b.stages.map((s) => [s.id, s.params, s.run])).toEqual(a.stages.map((s) => [s.id, s.params, s.run]));
  });
});

describe('YAML features', () => {
  test('anchors, aliases and merge keys share settings between stages', async () => {
    const yaml = [
      'params:',
      '  template: &train',
      '    uses: command',
      '    run: [echo]',
      '    outputs: [out]',
      '    with: { epochs: 3, lr: 0.1 }',
      'stages:',
      '  a: *train',
      '  b:',
      '    <<: *train',
      '    with: { epochs: 5 }',
      '',
    ].join('\n');
    const pipeline = await load(yaml);
    expect(pipeline.stages.map((s) => [s.id, s.params])).toEqual([
      ['a', { epochs: 3, lr: 0.1 }],
      ['b', { epochs: 5 }],
    ]);
  });
});
