/**
 * Classification predictions file (`predictions.jsonl`): one JSON object per line, in input order:
 * `{"text": "...", "gold": "ADE", "pred": "ADE", "confidence": 0.93, "probabilities": {"ADE": 0.93, "NEG": 0.07}}`.
 * `pred` and `confidence` are required; `gold` is absent for unlabelled input; `text` and
 * `probabilities` are optional (with them the multi-class Brier score and the loss are computed).
 */
import { readFile } from 'node:fs/promises';
import { InputFormatError } from '../io/read-columns.ts';

export interface ClassificationPrediction {
  text?: string;
  gold?: string;
  pred: string;
  confidence: number;
  probabilities?: Record<string, number>;
}

export function parseClassificationPredictions(text: string, file: string): ClassificationPrediction[] {
  const out: ClassificationPrediction[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '') return;
    const line = index + 1;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(raw);
    } catch (error) {
      throw new InputFormatError(file, line, `not valid JSON (${(error as Error).message})`);
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) throw new InputFormatError(file, line, 'expected a JSON object');
    if (typeof row.pred !== 'string') throw new InputFormatError(file, line, '"pred" must be a string');
    if (row.gold !== undefined && typeof row.gold !== 'string') throw new InputFormatError(file, line, '"gold" must be a string');
    if (typeof row.confidence !== 'number' || !(row.confidence >= 0 && row.confidence <= 1)) {
      throw new InputFormatError(file, line, '"confidence" must be a probability in [0, 1]');
    }
    if (row.probabilities !== undefined) {
      const p = row.probabilities as Record<string, unknown>;
      if (typeof p !== 'object' || p === null || Object.values(p).some((v) => typeof v !== 'number' || !(v >= 0 && v <= 1))) {
        throw new InputFormatError(file, line, '"probabilities" must map each label to a probability');
      }
    }
    out.push(row as unknown as ClassificationPrediction);
  });
  return out;
}

export async function readClassificationPredictions(file: string): Promise<ClassificationPrediction[]> {
  return parseClassificationPredictions(await readFile(file, 'utf8'), file);
}

export function formatClassificationPredictions(rows: readonly ClassificationPrediction[]): string {
  return rows.map((row) => JSON.stringify(row)).join('\n') + (rows.length ? '\n' : '');
}
