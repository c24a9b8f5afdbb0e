/** Params shared by stages that write a `metrics` artifact: how the entry is named in the report. */
import { METRICS_KINDS } from '../metrics-file/schema.ts';

export const metricsEntryParams = {
  name: { type: 'string', description: 'Display name in the report; default: the matrix values of the stage id (e.g. "lora") or the stage id.' },
  kind: { type: 'string', enum: [...METRICS_KINDS], default: 'fine-tune', description: 'Role of this entry in the report.' },
  strategy: { type: 'string', description: 'Fine-tuning strategy evaluated (full, partial, adapter, lora); default: the `strategy` matrix value, if any.' },
  k: { type: 'integer', minimum: 1, description: 'Few-shot k, when kind is few-shot; default: the `k` matrix value, if any.' },
  bins: { type: 'integer', minimum: 1, default: 15, description: 'Equal-width confidence bins for ECE / MCE / reliability.' },
} as const;

export interface MetricsEntryParams {
  name?: string;
  kind: (typeof METRICS_KINDS)[number];
  strategy?: string;
  k?: number;
  bins: number;
}
