import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSafetensors, serializeSafetensors, type RawTensor } from '../../src/safetensors/index.ts';
import { TINY_BERT_DIR } from './paths.ts';

export async function tempDir(prefix = 'model-loader-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/**
 * A copy of the tiny-bert folder whose tensors went through `edit` (rename, drop, add) and whose
 * config went through `editConfig`.
 */
export async function editedTinyBert(
  edit: (tensors: RawTensor[]) => RawTensor[],
  editConfig: (config: Record<string, unknown>) => Record<string, unknown> = (c) => c,
): Promise<string> {
  const dir = await tempDir();
  const file = parseSafetensors(new Uint8Array(await readFile(join(TINY_BERT_DIR, 'model.safetensors'))));
  const tensors = edit(file.tensors).map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape, data: t.bytes }));
  await writeFile(join(dir, 'model.safetensors'), serializeSafetensors(tensors, file.metadata));
  const config = JSON.parse(await readFile(join(TINY_BERT_DIR, 'config.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(join(dir, 'config.json'), JSON.stringify(editConfig(config), null, 2));
  await copyFile(join(TINY_BERT_DIR, 'vocab.txt'), join(dir, 'vocab.txt'));
  return dir;
}

export const rename = (from: RegExp, to: string) => (tensors: RawTensor[]) => tensors.map((t) => ({ ...t, name: t.name.replace(from, to) }));
export const drop = (pattern: RegExp) => (tensors: RawTensor[]) => tensors.filter((t) => !pattern.test(t.name));
