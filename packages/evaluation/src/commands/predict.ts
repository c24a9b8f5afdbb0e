/**
 * `tunekit predict --model <model dir> --input <file> --output <file>`: see predict/predict-file.ts
 * for the formats. The CLI resolves `<run-id>/<stage>[/<output>]` to a directory before calling this.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CommandIo } from './score.ts';

export const PREDICT_USAGE = `Usage: tunekit predict --model <model-dir | run-id/stage[/output]> --input <file> --output <file>

Labels a file with a trained model, one prediction per input item, in input order.
  NER (.tsv / .conll / .txt): one word per line, optionally word<TAB>gold, blank line between
    sentences. Output: word<TAB>pred<TAB>confidence, or word<TAB>gold<TAB>pred<TAB>confidence
    with a gold column; blank lines kept. Long sentences go through the tokenizer's windows, so
    no word is dropped.
  Classification (.jsonl): one {"text": ..., "label"?: ...} per line. Output: one JSON line per
    input line: {"text", "gold"?, "pred", "confidence", "probabilities"}.
The temperature fitted by evaluation/calibrate (tunekit_calibration.json) is applied when present.

  --model <dir>       model folder (HF layout), or <run-id>/<stage>[/<output>] of a recorded run
  --input <file>      file to label
  --output <file>     where to write the predictions
  --batch-size <n>    rows per forward pass (default 32)
  --max-length <n>    sub-tokens per window (default min(128, max_position_embeddings))

Exit codes: 0 ok, 2 usage error or malformed input.`;

export async function runPredictCommand(
  argv: string[],
  io: CommandIo & { /** Rows predicted so far (the CLI draws a progress bar or line). */ progress?: (done: number, total: number) => void },
  resolveModel: (spec: string) => Promise<string> = async (spec) => spec,
): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        model: { type: 'string' },
        input: { type: 'string' },
        output: { type: 'string' },
        'batch-size': { type: 'string' },
        'max-length': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.stderr(`tunekit predict: ${(error as Error).message}\n\n${PREDICT_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(PREDICT_USAGE + '\n');
    return 0;
  }
  if (!values.model || !values.input || !values.output) {
    io.stderr(`tunekit predict: --model, --input and --output are required\n\n${PREDICT_USAGE}\n`);
    return 2;
  }
  const positive = (name: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} expects a positive integer, found "${text}"`);
    return n;
  };
  const cwd = io.cwd ?? process.cwd();
  try {
    const { predictFile } = await import('../predict/predict-file.ts');
    const summary = await predictFile({
      modelDir: resolve(cwd, await resolveModel(values.model)),
      input: resolve(cwd, values.input),
      output: resolve(cwd, values.output),
      batchSize: positive('batch-size', values['batch-size']),
      maxLength: positive('max-length', values['max-length']),
      onProgress: io.progress,
    });
    const what = summary.task === 'token-classification' ? `${summary.words} words in ${summary.sentences} sentences` : `${summary.examples} examples`;
    io.stdout(`wrote ${values.output}: ${what} (backend ${summary.backend}, temperature ${summary.temperature})\n`);
    return 0;
  } catch (error) {
    io.stderr(`tunekit predict: ${(error as Error).message}\n`);
    return 2;
  }
}
