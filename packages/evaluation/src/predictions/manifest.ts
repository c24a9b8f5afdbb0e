/**
 * The `predictions` artifact: `manifest.json` + one predictions file.
 * - token classification: `predictions.tsv`, lines `word<TAB>gold<TAB>pred<TAB>confidence`, blank
 *   line between sentences (see ner-predictions.ts);
 * - sequence classification: `predictions.jsonl`, one JSON object per example (see
 *   classification-predictions.ts).
 */
import { readManifest, writeManifest, type ArtifactManifest } from '@tunekit/pipeline';

export interface PredictionsManifest extends ArtifactManifest {
  kind: 'predictions';
  schemaVersion: 1;
  task: 'token-classification' | 'sequence-classification';
  /** File name inside the artifact. */
  file: string;
  /** Split the predictions were made on. */
  split?: string;
  /** Label set (IOB2 tags or class names), when known. */
  labels?: string[];
  /** Who made them: a model, a baseline (e.g. `dictionary`). */
  source?: string;
  sentences?: number;
  tokens?: number;
  examples?: number;
}

export const NER_PREDICTIONS_FILE = 'predictions.tsv';
export const CLASSIFICATION_PREDICTIONS_FILE = 'predictions.jsonl';

export async function readPredictionsManifest(dir: string): Promise<PredictionsManifest> {
  const manifest = await readManifest<PredictionsManifest>(dir, 'predictions');
  if (manifest.task !== 'token-classification' && manifest.task !== 'sequence-classification') {
    throw new Error(`${dir}/manifest.json: task must be token-classification or sequence-classification, found ${JSON.stringify(manifest.task)}`);
  }
  if (typeof manifest.file !== 'string') throw new Error(`${dir}/manifest.json: "file" (the predictions file name) is missing`);
  return manifest;
}

export async function writePredictionsManifest(dir: string, manifest: Omit<PredictionsManifest, 'kind' | 'schemaVersion'>): Promise<void> {
  await writeManifest(dir, { kind: 'predictions', schemaVersion: 1, ...manifest });
}
