import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** Documentation (a model card) never changes the loaded model: it stays out of the digest. */
const isDocumentation = (file: string) => /\.md$/i.test(file);

/**
 * sha256 over the sorted relative paths and contents of every file under `dir` (same rule as
 * artifact digests), documentation (`*.md`) excepted: editing a model card reruns nothing.
 */
export async function digestFolder(dir: string): Promise<string> {
  const files = (await listFiles(dir)).filter((file) => !isDocumentation(file)).sort();
  const hash = createHash('sha256');
  for (const file of files) {
    const content = await readFile(join(dir, file));
    hash.update(`${file}\0${content.byteLength}\0`);
    hash.update(content);
  }
  return hash.digest('hex');
}

async function listFiles(root: string, dir = root): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(root, path)));
    else if (entry.isFile()) out.push(relative(root, path).split(sep).join('/'));
  }
  return out;
}
