import type { TokenDataset, TokenExample } from '../dataset/types.ts';
import { iob2LabelList } from '../dataset/label-set.ts';
import { DataError } from '../errors/data-error.ts';
import { readLimits, readTextInput } from '../files/read-text.ts';
import { resolveParamPath } from '../files/resolve-file.ts';
import { holdOut } from '../splits/hold-out.ts';
import type { ConllParams } from './conll-params.ts';
import { parseConll, type ConllRepairs } from './parse-conll.ts';

/** Everything `data-prep/conll` does before writing: read the files, hold out splits, collect labels. */
export async function readConll(params: ConllParams, pipelineDir: string, seed: number) {
  if (params.validation && params.validation_from_train > 0) throw new Error('data-prep/conll: give either `validation` or `validation_from_train`, not both');
  if (params.test && params.test_from_train > 0) throw new Error('data-prep/conll: give either `test` or `test_from_train`, not both');
  const options = {
    tokenColumn: params.token_column,
    tagColumn: params.tag_column,
    delimiter: params.delimiter,
    scheme: params.tag_scheme,
    onInvalid: params.on_invalid,
  };
  const repairs: ConllRepairs = { ill_formed_tags: 0, empty_tokens: 0, column_count: 0 };
  const read = async (path: string): Promise<TokenExample[]> => {
    const file = resolveParamPath(pipelineDir, path);
    const result = parseConll(await readTextInput(file, readLimits(params)), file, options);
    // Empty, blank-only or tab-only files parse to nothing: a dataset of 0 sentences is an error, not a result.
    if (result.sentences.length === 0) throw new DataError(file, undefined, 'no sentences: expected token lines (`token<TAB>tag`) separated by blank lines');
    for (const key of Object.keys(repairs) as Array<keyof ConllRepairs>) repairs[key] += result.repairs[key];
    return result.sentences;
  };

  const splits: Record<string, TokenExample[]> = {};
  const train = await read(params.train);
  const fractions: Array<[string, number]> = [];
  if (params.validation_from_train > 0) fractions.push(['validation', params.validation_from_train]);
  if (params.test_from_train > 0) fractions.push(['test', params.test_from_train]);
  for (const [name, indices] of Object.entries(holdOut(train.length, fractions, seed))) splits[name] = indices.map((i) => train[i]!);
  if ((splits.train ?? []).length === 0) {
    throw new DataError(resolveParamPath(pipelineDir, params.train), undefined, `${train.length} sentence(s) leave none for training after holding out ${fractions.map(([n, f]) => `${n} ${f}`).join(', ')}`);
  }
  if (params.validation) splits.validation = await read(params.validation);
  if (params.test) splits.test = await read(params.test);

  const dataset: TokenDataset = { task: 'token-classification', labels: iob2LabelList(Object.values(splits).flat()), splits };
  const provenance = {
    reader: 'data-prep/conll',
    files: Object.fromEntries((['train', 'validation', 'test'] as const).filter((k) => params[k]).map((k) => [k, params[k]])),
    heldOutFromTrain: Object.fromEntries(fractions),
    seed: fractions.length > 0 ? seed : null,
    inputTagScheme: params.tag_scheme,
    repairs: params.on_invalid === 'repair' ? repairs : null,
  };
  return { dataset, repairs, provenance };
}
