/**
 * `tunekit score --input <preds.tsv> [--json]`: conlleval-like scoring of a
 * `token<TAB>gold<TAB>pred[<TAB>confidence]` file. The `evaluation/ner` stage uses the same code.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { nerMetrics, type NerMetrics } from '../metrics/ner/index.ts';
import { readNerPredictions } from '../predictions/ner-predictions.ts';

export interface ScoreJson {
  precision: number;
  recall: number;
  f1: number;
  precision_strict: number | null;
  recall_strict: number | null;
  f1_strict: number | null;
  per_type: Record<string, { precision: number; recall: number; f1: number; support: number }>;
  token_accuracy: number;
  sentences: number;
  tokens: number;
}

export async function scoreFile(file: string): Promise<NerMetrics> {
  const sentences = await readNerPredictions(file);
  return nerMetrics(
    sentences.map((s) => s.gold),
    sentences.map((s) => s.pred),
  );
}

export function toScoreJson(m: NerMetrics): ScoreJson {
  const per_type: ScoreJson['per_type'] = {};
  for (const [type, row] of Object.entries(m.default.perLabel)) {
    per_type[type] = { precision: row.precision, recall: row.recall, f1: row.f1, support: row.support };
  }
  return {
    precision: m.default.micro.precision,
    recall: m.default.micro.recall,
    f1: m.default.micro.f1,
    precision_strict: m.strict?.micro.precision ?? null,
    recall_strict: m.strict?.micro.recall ?? null,
    f1_strict: m.strict?.micro.f1 ?? null,
    per_type,
    token_accuracy: m.tokenAccuracy,
    sentences: m.sentences,
    tokens: m.tokens,
  };
}

const pct = (x: number) => (100 * x).toFixed(2).padStart(6) + '%';

/** conlleval's layout, plus a strict IOB2 line. */
export function formatScoreText(m: NerMetrics): string {
  const d = m.default;
  const predicted = Object.values(d.perLabel).reduce((n, r) => n + r.predicted, 0);
  const correct = Object.values(d.perLabel).reduce((n, r) => n + r.correct, 0);
  const lines = [
    `processed ${m.tokens} tokens with ${d.micro.support} phrases; found: ${predicted} phrases; correct: ${correct}.`,
    `accuracy: ${pct(m.tokenAccuracy)}; precision: ${pct(d.micro.precision)}; recall: ${pct(d.micro.recall)}; FB1: ${(100 * d.micro.f1).toFixed(2)}`,
  ];
  for (const [type, r] of Object.entries(d.perLabel)) {
    lines.push(`${type.padStart(17)}: precision: ${pct(r.precision)}; recall: ${pct(r.recall)}; FB1: ${(100 * r.f1).toFixed(2).padStart(6)}  ${r.predicted}`);
  }
  if (m.strict) {
    const s = m.strict.micro;
    lines.push(`strict IOB2:      precision: ${pct(s.precision)}; recall: ${pct(s.recall)}; FB1: ${(100 * s.f1).toFixed(2)}`);
  } else {
    lines.push('strict IOB2:      not computed (tags other than B-/I-/O present)');
  }
  return lines.join('\n') + '\n';
}

export const SCORE_USAGE = `Usage: tunekit score --input <preds.tsv> [--json]

Scores a token<TAB>gold<TAB>pred[<TAB>confidence] file (blank line between sentences) like
conlleval: entity precision/recall/F1 in seqeval's default mode (conlleval-compatible) and strict
IOB2 mode, per type, and token accuracy.

  --input <file>  predictions file
  --json          print one JSON object: f1, precision, recall, f1_strict, per_type, token_accuracy
  -h, --help      this help

Exit codes: 0 ok, 2 usage error or malformed input.`;

export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Relative paths are resolved against it (default: process.cwd()). */
  cwd?: string;
}

const processIo: CommandIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

/** Runs the command; returns the exit code. */
export async function runScoreCommand(argv: string[], io: CommandIo = processIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { input: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.stderr(`tunekit score: ${(error as Error).message}\n\n${SCORE_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(SCORE_USAGE + '\n');
    return 0;
  }
  if (!values.input) {
    io.stderr(`tunekit score: --input is required\n\n${SCORE_USAGE}\n`);
    return 2;
  }
  try {
    const metrics = await scoreFile(resolve(io.cwd ?? process.cwd(), values.input));
    io.stdout(values.json ? JSON.stringify(toScoreJson(metrics)) + '\n' : formatScoreText(metrics));
    return 0;
  } catch (error) {
    io.stderr(`tunekit score: ${(error as Error).message}\n`);
    return 2;
  }
}
