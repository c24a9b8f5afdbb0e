import { DataError } from '../errors/data-error.ts';
import type { TextDataset, TextExample } from '../dataset/types.ts';
import { classLabelList } from '../dataset/label-set.ts';
import { readLimits, readTextInput } from '../files/read-text.ts';
import { resolveParamPath } from '../files/resolve-file.ts';
import { stratifiedHoldOut } from '../splits/hold-out.ts';
import type { TextClassificationParams, TextFormat } from './text-classification-params.ts';
import { ADE_LABELS, parseAdeFile } from './parse-ade-corpus.ts';
import { parseDelimited } from './parse-delimited.ts';
import { parseJsonl } from './parse-jsonl.ts';
import { RowProblems } from './rows.ts';

function formatOf(file: string, format: TextFormat): Exclude<TextFormat, 'auto'> {
  if (format !== 'auto') return format;
  if (/\.jsonl?$/i.test(file)) return 'jsonl';
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.tsv$/i.test(file)) return 'tsv';
  throw new DataError(file, undefined, 'expected a .jsonl, .json, .csv or .tsv file name, or an explicit `format`');
}

const asList = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Everything `data-prep/text-classification` does before writing. */
export async function readTextClassification(params: TextClassificationParams, pipelineDir: string, seed: number) {
  if (params.validation && params.validation_from_train > 0) throw new Error('data-prep/text-classification: give either `validation` or `validation_from_train`, not both');
  if (params.test && params.test_from_train > 0) throw new Error('data-prep/text-classification: give either `test` or `test_from_train`, not both');
  const problems = new RowProblems(params.on_invalid);
  const read = async (paths: string[]): Promise<TextExample[]> => {
    const examples: TextExample[] = [];
    const seen = new Set<string>();
    for (const path of paths) {
      const file = resolveParamPath(pipelineDir, path);
      const text = await readTextInput(file, readLimits(params));
      const before = examples.length;
      const format = formatOf(file, params.format);
      if (format === 'jsonl') examples.push(...parseJsonl(text, file, params.text_field, params.label_field, problems));
      else if (format === 'ade-corpus') examples.push(...parseAdeFile(text, file, seen, problems));
      else examples.push(...parseDelimited(text, file, format === 'csv' ? ',' : '\t', params.text_field, params.label_field, problems));
      // An empty or blank-only file (or one whose every row was skipped) adds nothing: an error, not an empty dataset.
      // ADE files may legitimately add nothing new when every sentence was already seen; they must still have rows.
      if (examples.length === before && (format !== 'ade-corpus' || text.trim() === '')) {
        throw new DataError(file, undefined, `no examples: expected ${format === 'jsonl' ? 'JSON lines' : format === 'ade-corpus' ? 'ADE-Corpus-V2 rows' : `${format.toUpperCase()} rows`} with a text and a label${problems.skipped ? ` (${problems.skipped} row(s) skipped as invalid)` : ''}`);
      }
    }
    return examples;
  };

  const splits: Record<string, TextExample[]> = {};
  const train = await read(asList(params.train));
  const fractions: Array<[string, number]> = [];
  if (params.validation_from_train > 0) fractions.push(['validation', params.validation_from_train]);
  if (params.test_from_train > 0) fractions.push(['test', params.test_from_train]);
  const parts = stratifiedHoldOut(train.map((example) => example.label), fractions, seed);
  for (const [name, indices] of Object.entries(parts)) splits[name] = indices.map((i) => train[i]!);
  if (params.validation) splits.validation = await read(asList(params.validation));
  if (params.test) splits.test = await read(asList(params.test));

  const all = Object.values(splits).flat();
  const labels = classLabelList(all, params.labels ?? (params.format === 'ade-corpus' ? ADE_LABELS : undefined));
  const known = new Set(labels);
  const unknown = all.find((example) => !known.has(example.label));
  if (unknown) throw new Error(`data-prep/text-classification: label "${unknown.label}" is not in \`labels\` (${labels.join(', ')})`);

  const dataset: TextDataset = { task: 'sequence-classification', labels, splits };
  const provenance = {
    reader: 'data-prep/text-classification',
    format: params.format,
    files: Object.fromEntries((['train', 'validation', 'test'] as const).filter((k) => params[k]).map((k) => [k, asList(params[k])])),
    heldOutFromTrain: Object.fromEntries(fractions),
    stratifiedBy: fractions.length > 0 ? 'label' : null,
    seed: fractions.length > 0 ? seed : null,
    skippedRows: params.on_invalid === 'skip' ? problems.skipped : null,
  };
  return { dataset, skipped: problems.skipped, provenance };
}
