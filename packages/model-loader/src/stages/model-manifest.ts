import type { BertModel } from '../types.ts';

/** The `manifest.json` of a `model` artifact written by this package (plain data, light to import). */
export interface ModelManifest {
  kind: 'model';
  schemaVersion: 1;
  format: 'huggingface';
  architecture: string;
  head: string;
  parameters: number;
  labels?: string[];
  files: string[];
  [field: string]: unknown;
}

export function modelManifest(model: BertModel, files: string[], extra: Record<string, unknown>): ModelManifest {
  const labels = model.config.id2label ? Object.keys(model.config.id2label).sort((a, b) => Number(a) - Number(b)).map((id) => model.config.id2label![id]) : undefined;
  let parameters = 0;
  for (const variable of model.params.values()) parameters += variable.size;
  return {
    kind: 'model',
    schemaVersion: 1,
    format: 'huggingface',
    architecture: model.config.architectures?.[0] ?? 'BertModel',
    head: model.head,
    parameters,
    ...(labels && (model.head === 'token-classification' || model.head === 'sequence-classification') ? { labels } : {}),
    files,
    ...extra,
  };
}
