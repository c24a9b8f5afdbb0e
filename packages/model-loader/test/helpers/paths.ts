import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const TINY_BERT_DIR = join(REPO_ROOT, 'fixtures/tiny-bert');
