import { writeDataset } from '../../src/dataset/write-dataset.ts';
import { iob2LabelList } from '../../src/dataset/label-set.ts';
import type { TextExample, TokenExample } from '../../src/dataset/types.ts';
import { tempDir } from './stage-context.ts';

/** A `dataset` artifact in a temp dir, written by the real writer. */
export async function tokenDatasetDir(splits: Record<string, TokenExample[]>): Promise<string> {
  const dir = await tempDir();
  await writeDataset(dir, { task: 'token-classification', labels: iob2LabelList(Object.values(splits).flat()), splits }, { reader: 'test' });
  return dir;
}

export async function textDatasetDir(splits: Record<string, TextExample[]>, labels: string[]): Promise<string> {
  const dir = await tempDir();
  await writeDataset(dir, { task: 'sequence-classification', labels, splits }, { reader: 'test' });
  return dir;
}
