/**
 * A vocab.txt-only artifact takes lower-casing and accent stripping from its tokenizer_config.json
 * (or config.json), as HF's BertTokenizer does: the config, not a default, decides.
 */
import { describe, expect, test } from '@jest/globals';
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadTokenizer } from '../../src/tokenize/load-tokenizer.ts';
import { REPO_ROOT, tempDir } from '../helpers/stage-context.ts';

const HEART = 66; // "heart" in the tiny-bert fixture vocabulary

async function vocabArtifact(files: Record<string, object>): Promise<string> {
  const dir = await tempDir();
  await copyFile(join(REPO_ROOT, 'fixtures/tiny-bert/vocab.txt'), join(dir, 'vocab.txt'));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), JSON.stringify(content));
  return dir;
}

async function ids(dir: string, text: string): Promise<number[]> {
  const { tokenizer } = await loadTokenizer(dir);
  return (await tokenizer.encode(text, null, { addSpecialTokens: false })).getIds();
}

describe('lower-casing and accent stripping from the artifact config (vocab.txt path)', () => {
  test('no config: lower-case and strip accents (BertTokenizer defaults)', async () => {
    const dir = await vocabArtifact({});
    expect(await ids(dir, 'Heart')).toEqual([HEART]);
    expect(await ids(dir, 'héart')).toEqual([HEART]);
  });

  test('tokenizer_config.json do_lower_case: false keeps case, so "Heart" is unknown', async () => {
    const dir = await vocabArtifact({ 'tokenizer_config.json': { do_lower_case: false } });
    const { unkId, lowercase, stripAccents } = await loadTokenizer(dir);
    expect([lowercase, stripAccents]).toEqual([false, false]);
    expect(await ids(dir, 'Heart')).toEqual([unkId]);
    expect(await ids(dir, 'heart')).toEqual([HEART]);
  });

  test('config.json do_lower_case: false is read too; tokenizer_config.json wins over it', async () => {
    const fromConfig = await vocabArtifact({ 'config.json': { do_lower_case: false } });
    expect(await ids(fromConfig, 'Heart')).not.toEqual([HEART]);
    const both = await vocabArtifact({ 'config.json': { do_lower_case: false }, 'tokenizer_config.json': { do_lower_case: true } });
    expect(await ids(both, 'Heart')).toEqual([HEART]);
  });

  test('strip_accents: false keeps accents while lower-casing, so "Héart" is not "heart"', async () => {
    const dir = await vocabArtifact({ 'tokenizer_config.json': { do_lower_case: true, strip_accents: false } });
    expect((await loadTokenizer(dir)).stripAccents).toBe(false);
    expect(await ids(dir, 'Heart')).toEqual([HEART]);
    expect(await ids(dir, 'Héart')).not.toEqual([HEART]);
  });
});
