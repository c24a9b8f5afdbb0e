import { describe, expect, test } from '@jest/globals';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import corpus from '../../src/stages/corpus.ts';
import { parseBlankLineDocuments, parseWikiText } from '../../src/corpus/parse-corpus.ts';
import { readCorpusArtifact } from '../../src/corpus/write-corpus.ts';
import { REPO_ROOT, directoryDigest, makeContext, tempDir } from '../helpers/stage-context.ts';
import { runStage } from '../helpers/run-stage.ts';

describe('corpus parsing', () => {
  test('blank-line documents; whitespace-only lines separate too', () => {
    expect(parseBlankLineDocuments('Title A\nBody A\n\nTitle B\n  \nTitle C\n')).toEqual(['Title A\nBody A', 'Title B', 'Title C']);
  });

  test('WikiText: one document per article, headings as text, @-@ separators joined, <unk> dropped', () => {
    const text = ' \n = Lobster = \n \n The <unk> lobster is 0 @.@ 7 m long , blue @-@ ish . \n \n = = Description = = \n \n Claws . \n = Crab = \n \n Crabs walk . \n';
    expect(parseWikiText(text, false)).toEqual(['Lobster\nThe lobster is 0.7 m long , blue-ish .\nDescription\nClaws .', 'Crab\nCrabs walk .']);
    expect(parseWikiText(text, true)[0]).toContain('The <unk> lobster');
  });
});

describe('data-prep/corpus on the shipped corpora', () => {
  test('GENIA abstracts + WikiText-2 articles: train 1,979 + 60 documents, validation 391 + 62', async () => {
    const { outputs } = await runStage(corpus, {
      params: {
        train: ['datasets/genia-pubmed-abstracts/train.txt', 'datasets/wikitext-2/valid.txt'],
        validation: ['datasets/genia-pubmed-abstracts/valid.txt', 'datasets/wikitext-2/test.txt'],
      },
      pipelineDir: REPO_ROOT,
    });
    const { manifest, splits } = await readCorpusArtifact(outputs.corpus!);
    expect(manifest.splits.train!.documents).toBe(1979 + 60);
    expect(manifest.splits.validation!.documents).toBe(391 + 62);
    expect(manifest.provenance.formats).toEqual({
      'datasets/genia-pubmed-abstracts/train.txt': 'blank-line',
      'datasets/wikitext-2/valid.txt': 'wikitext',
      'datasets/genia-pubmed-abstracts/valid.txt': 'blank-line',
      'datasets/wikitext-2/test.txt': 'wikitext',
    });
    expect(splits.train![0]!.split('\n')[0]).toBe('Anti-Ro(SSA) autoantibodies are associated with T cell receptor beta genes in systemic lupus erythematosus patients.');
    expect(splits.train![1979]!.split('\n')[0]).toBe('Homarus gammarus');
    expect(splits.train!.join('\n')).not.toContain('<unk>');
  });
});

describe('data-prep/corpus options', () => {
  async function run(content: string, params: Record<string, unknown>, seed = 1) {
    const dir = await tempDir();
    await writeFile(join(dir, 'c.txt'), content);
    const { ctx, metrics, outputDir } = await makeContext(corpus, { params: { train: 'c.txt', ...params }, pipelineDir: dir, seed });
    let error: Error | undefined;
    await corpus.run(ctx).catch((e: Error) => (error = e));
    return { error, out: outputDir('corpus'), metrics, file: join(dir, 'c.txt') };
  }
  const docs = Array.from({ length: 20 }, (_, i) => `doc ${i}`).join('\n\n') + '\n\ndoc 3\n';

  test('dedup drops repeated documents and counts them', async () => {
    const { out, metrics } = await run(docs, {});
    expect((await readCorpusArtifact(out)).manifest.splits.train!.documents).toBe(20);
    expect(metrics.find((m) => m.key === 'duplicates_removed')!.value).toBe(1);
    const kept = await run(docs, { dedup: false });
    expect((await readCorpusArtifact(kept.out)).manifest.splits.train!.documents).toBe(21);
  });

  test('validation_from_train holds out a seeded fraction, identical bytes for the same seed', async () => {
    const a = await run(docs, { validation_from_train: 0.25 }, 3);
    const b = await run(docs, { validation_from_train: 0.25 }, 3);
    const { manifest } = await readCorpusArtifact(a.out);
    expect(manifest.splits.validation!.documents).toBe(5);
    expect(manifest.splits.train!.documents).toBe(15);
    expect(await directoryDigest(b.out)).toBe(await directoryDigest(a.out));
    expect(await readFile(join(a.out, 'train.txt'), 'utf8')).toMatch(/^doc \d+\n\ndoc \d+/);
  });

  test('an empty file is an error naming it, and no artifact is written', async () => {
    const { error, out, file } = await run('\n \n', {});
    expect(error!.message).toBe(`${file}: expected at least one non-empty document`);
    expect(await readdir(out)).toEqual([]);
  });
});
