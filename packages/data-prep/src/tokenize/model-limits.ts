import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * When the tokenizer comes from a model artifact, rows longer than the model's
 * `max_position_embeddings` could not be fed to it: fail early with a clear message.
 */
export async function checkModelMaxLength(dir: string, maxLength: number): Promise<void> {
  let config: { max_position_embeddings?: unknown };
  try {
    config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
  } catch {
    return; // a tokenizer artifact (no model config)
  }
  const limit = config.max_position_embeddings;
  if (typeof limit === 'number' && maxLength > limit) {
    throw new Error(`data-prep/tokenize: max_length ${maxLength} exceeds the model's max_position_embeddings ${limit} (${join(dir, 'config.json')})`);
  }
}
