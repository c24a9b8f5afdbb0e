import { DataError } from '../errors/data-error.ts';
import { readLimits, readTextInput } from '../files/read-text.ts';
import { resolveParamPath } from '../files/resolve-file.ts';
import { holdOut } from '../splits/hold-out.ts';
import type { CorpusParams } from './corpus-params.ts';
import { looksLikeWikiText, parseBlankLineDocuments, parseWikiText } from './parse-corpus.ts';

const asList = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Everything `data-prep/corpus` does before writing. */
export async function readCorpus(params: CorpusParams, pipelineDir: string, seed: number) {
  if (params.validation && params.validation_from_train > 0) throw new Error('data-prep/corpus: give either `validation` or `validation_from_train`, not both');
  const seen = new Set<string>();
  let duplicates = 0;
  const formats: Record<string, string> = {};
  const read = async (paths: string[]): Promise<string[]> => {
    const documents: string[] = [];
    for (const path of paths) {
      const file = resolveParamPath(pipelineDir, path);
      const text = await readTextInput(file, readLimits(params));
      const wikitext = params.format === 'wikitext' || (params.format === 'auto' && looksLikeWikiText(text));
      formats[path] = wikitext ? 'wikitext' : 'blank-line';
      const parsed = wikitext ? parseWikiText(text, params.wikitext_unk === 'keep') : parseBlankLineDocuments(text);
      if (parsed.length === 0) throw new DataError(file, undefined, 'expected at least one non-empty document');
      for (const document of parsed) {
        if (params.dedup) {
          if (seen.has(document)) {
            duplicates++;
            continue;
          }
          seen.add(document);
        }
        documents.push(document);
      }
    }
    return documents;
  };
  const train = await read(asList(params.train));
  const splits: Record<string, string[]> = {};
  const fractions: Array<[string, number]> = params.validation_from_train > 0 ? [['validation', params.validation_from_train]] : [];
  for (const [name, indices] of Object.entries(holdOut(train.length, fractions, seed))) splits[name] = indices.map((i) => train[i]!);
  if (params.validation) splits.validation = await read(asList(params.validation));
  const provenance = {
    reader: 'data-prep/corpus',
    files: { train: asList(params.train), ...(params.validation ? { validation: asList(params.validation) } : {}) },
    formats,
    dedup: params.dedup,
    duplicatesRemoved: duplicates,
    heldOutFromTrain: Object.fromEntries(fractions),
    seed: fractions.length > 0 ? seed : null,
    wikitextUnk: params.wikitext_unk,
  };
  return { splits, duplicates, provenance };
}
