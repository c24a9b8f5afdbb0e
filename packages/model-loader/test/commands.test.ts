import { describe, expect, test } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatInspectReport, inspectModel, runModelForward, type ForwardOutputsFile } from '../src/index.ts';
import type { TestBackend } from './helpers/backend.ts';
import { tempDir } from './helpers/checkpoints.ts';
import { EXPECTED, maxAbsDiff } from './helpers/fixture.ts';
import { TINY_BERT_DIR } from './helpers/paths.ts';

async function forwardFile(inputs: unknown, backend: TestBackend = 'cpu', extra = {}): Promise<ForwardOutputsFile> {
  const dir = await tempDir('fwd-');
  await writeFile(join(dir, 'inputs.json'), JSON.stringify(inputs));
  await runModelForward({ modelDir: TINY_BERT_DIR, inputPath: join(dir, 'inputs.json'), outputPath: join(dir, 'out.json'), backend, ...extra });
  return JSON.parse(await readFile(join(dir, 'out.json'), 'utf8'));
}

describe('tunekit model forward', () => {
  for (const backend of ['cpu', 'wasm'] as TestBackend[]) {
    test(`reproduces HF last_hidden_state, pooled, logits and hidden_states for every fixture batch on ${backend}`, async () => {
      for (const [index, batch] of EXPECTED.inputs.entries()) {
        const out = await forwardFile({ input_ids: batch.input_ids, attention_mask: batch.attention_mask, token_type_ids: batch.token_type_ids }, backend, { hiddenStates: true });
        expect(Object.keys(out)).toEqual(['last_hidden_state', 'pooled', 'logits', 'hidden_states']);
        expect(maxAbsDiff(out.last_hidden_state, EXPECTED.last_hidden_state[index])).toBeLessThan(EXPECTED.tolerance.atol);
        expect(maxAbsDiff(out.pooled, EXPECTED.expected_pooled[index])).toBeLessThan(EXPECTED.tolerance.atol);
        expect(maxAbsDiff(out.logits, EXPECTED.logits[index])).toBeLessThan(EXPECTED.tolerance.atol);
        expect(maxAbsDiff(out.hidden_states, EXPECTED.hidden_states[index])).toBeLessThan(EXPECTED.tolerance.atol);
      }
    });
  }

  test('attention_mask and token_type_ids are optional (all ones / zeros)', async () => {
    const batch = EXPECTED.inputs[0];
    const out = await forwardFile({ input_ids: batch.input_ids });
    expect(Object.keys(out)).toEqual(['last_hidden_state', 'pooled', 'logits']);
    expect(maxAbsDiff(out.logits, EXPECTED.logits[0])).toBeLessThan(EXPECTED.tolerance.atol);
  });

  test.each([
    ['ragged rows', { input_ids: [[2, 3], [2]] }, '"input_ids"[1] has 1 items, row 0 has 2 (pad the batch to one length)'],
    ['a token id outside the vocabulary', { input_ids: [[2, 120]] }, '"input_ids"[0][1] is 120; expected a token id in [0, 120)'],
    ['a mask value other than 0/1', { input_ids: [[2, 3]], attention_mask: [[1, 2]] }, '"attention_mask"[0][1] is 2; expected 0 or 1'],
    ['token types of another shape', { input_ids: [[2, 3]], token_type_ids: [[0, 0, 0]] }, '"token_type_ids" is [1][3] but input_ids is [1][2]'],
    ['a sequence longer than max_position_embeddings', { input_ids: [new Array(65).fill(2)] }, 'sequences have 65 tokens; the model accepts at most max_position_embeddings = 64'],
    ['an unknown field', { ids: [[2]] }, 'unknown field(s) "ids"'],
  ])('rejects %s with a message naming the input file', async (_what, inputs, message) => {
    await expect(forwardFile(inputs)).rejects.toThrow(`inputs.json: ${message}`);
  });
});

describe('tunekit model inspect', () => {
  test('summarises the config and lists every tensor with dtype and shape', async () => {
    const report = await inspectModel(TINY_BERT_DIR);
    expect(report).toMatchObject({ head: 'token-classification', parameters: 24325, tokenizerFiles: ['vocab.txt'], metadata: { format: 'pt' } });
    expect(report.tensors).toHaveLength(42);
    expect(report.tensors).toContainEqual({ name: 'bert.embeddings.position_ids', dtype: 'I64', shape: [1, 64] });
    const text = formatInspectReport(report);
    expect(text).toContain('architecture: BertForTokenClassification (head: token-classification)');
    expect(text).toContain('labels (5): O, B-Disease, I-Disease, B-Chemical, I-Chemical');
    expect(text).toMatch(/\nbert\.embeddings\.word_embeddings\.weight\s+F32\s+\[120, 32\]\n/);
  });
});
