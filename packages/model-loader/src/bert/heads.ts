import type { TaskHead } from '../types.ts';

/** HF architecture class for each head (what `config.json` → `architectures` says). */
export const ARCHITECTURE_OF_HEAD: Record<TaskHead, string> = {
  none: 'BertModel',
  'token-classification': 'BertForTokenClassification',
  'sequence-classification': 'BertForSequenceClassification',
  'masked-lm': 'BertForMaskedLM',
};

const HEAD_OF_ARCHITECTURE: Record<string, TaskHead> = {
  BertModel: 'none',
  BertForTokenClassification: 'token-classification',
  BertForSequenceClassification: 'sequence-classification',
  BertForMaskedLM: 'masked-lm',
  BertForPreTraining: 'masked-lm',
};

export const TASK_HEADS: readonly TaskHead[] = ['none', 'token-classification', 'sequence-classification', 'masked-lm'];

/** The head named by `architectures[0]`, or `none` when the config names no (known) architecture. */
export function headFromArchitectures(architectures: string[] | undefined): TaskHead {
  return (architectures?.[0] && HEAD_OF_ARCHITECTURE[architectures[0]]) || 'none';
}

export function isClassificationHead(head: TaskHead): boolean {
  return head === 'token-classification' || head === 'sequence-classification';
}

/** HF builds the pooler for BertModel and ...ForSequenceClassification, not for token classification or MLM. */
export function headUsesPooler(head: TaskHead): boolean {
  return head === 'none' || head === 'sequence-classification';
}
