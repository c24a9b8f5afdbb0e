import { describe, expect, test } from '@jest/globals';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { digestFolder, resolveModelSource } from '../src/sources/index.ts';
import { tempDir } from './helpers/checkpoints.ts';
import { TINY_BERT_DIR } from './helpers/paths.ts';

async function workspaceWithBuiltins(...names: string[]): Promise<string> {
  const root = await tempDir('ws-');
  for (const name of names) await cp(TINY_BERT_DIR, join(root, 'models', name), { recursive: true });
  return root;
}

const offlineFetch = (async () => {
  throw Object.assign(new TypeError('fetch failed'), { cause: new Error('getaddrinfo ENOTFOUND huggingface.co') });
}) as unknown as typeof fetch;

describe('resolveModelSource', () => {
  test('a local folder resolves relative to baseDir', async () => {
    const root = await workspaceWithBuiltins('tiny');
    expect(await resolveModelSource('models/tiny', root, { baseDir: root })).toEqual({ kind: 'local', dir: join(root, 'models/tiny') });
  });

  test('a missing local folder is a clear error', async () => {
    await expect(resolveModelSource('nope/model', '/tmp', { baseDir: '/tmp' })).rejects.toThrow('nope/model: model folder not found (/tmp/nope/model); expected a folder path, builtin:<name> or hf:<owner>/<name>[@revision]');
  });

  test('a folder without config.json is refused', async () => {
    const dir = await tempDir();
    await expect(resolveModelSource(dir, '/tmp')).rejects.toThrow('has no config.json (not a Hugging Face model folder)');
  });

  test('builtin:<name> resolves to <workspace>/models/<name>', async () => {
    const root = await workspaceWithBuiltins('tiny');
    expect(await resolveModelSource('builtin:tiny', root)).toEqual({ kind: 'builtin', dir: join(root, 'models/tiny') });
  });

  test('an unknown builtin lists the available ones', async () => {
    const root = await workspaceWithBuiltins('beta', 'alpha');
    await expect(resolveModelSource('builtin:gamma', root)).rejects.toThrow('builtin:gamma: no such builtin model. Available: alpha, beta');
  });

  test('hf: without network is a clear error and leaves no partial download', async () => {
    const cacheDir = await tempDir('hf-');
    await expect(resolveModelSource('hf:dmis-lab/biobert-v1.1@main', '/tmp', { cacheDir, fetch: offlineFetch })).rejects.toThrow(
      'hf:dmis-lab/biobert-v1.1@main: cannot download https://huggingface.co/dmis-lab/biobert-v1.1/resolve/main/config.json (getaddrinfo ENOTFOUND huggingface.co). There is no network access here?',
    );
    expect(await readdir(join(cacheDir, 'dmis-lab--biobert-v1.1'))).toEqual([]);
  });

  test('hf: uses a complete cached download without touching the network', async () => {
    const cacheDir = await tempDir('hf-');
    await cp(TINY_BERT_DIR, join(cacheDir, 'org--tiny', 'v1'), { recursive: true });
    expect(await resolveModelSource('hf:org/tiny@v1', '/tmp', { cacheDir, fetch: offlineFetch })).toEqual({ kind: 'hf', dir: join(cacheDir, 'org--tiny', 'v1') });
  });

  test('hf: downloads the required and available tokenizer files from the resolve URLs', async () => {
    const cacheDir = await tempDir('hf-');
    const requested: string[] = [];
    const localHub = (async (url: string) => {
      requested.push(url);
      const file = url.split('/').pop()!;
      try {
        return new Response(await readFile(join(TINY_BERT_DIR, file)));
      } catch {
        return new Response('Entry not found', { status: 404 });
      }
    }) as unknown as typeof fetch;
    const { dir } = await resolveModelSource('hf:org/tiny', '/tmp', { cacheDir, fetch: localHub, endpoint: 'https://hub.example' });
    expect(requested[0]).toBe('https://hub.example/org/tiny/resolve/main/config.json');
    expect((await readdir(dir)).sort()).toEqual(['config.json', 'model.safetensors', 'vocab.txt']);
    expect((await readFile(join(dir, 'model.safetensors'))).equals(await readFile(join(TINY_BERT_DIR, 'model.safetensors')))).toBe(true);
  });

  test('a malformed hf reference is refused', async () => {
    await expect(resolveModelSource('hf:../etc', '/tmp', { fetch: offlineFetch })).rejects.toThrow('hf:../etc: expected hf:<owner>/<name>[@revision]');
  });
});

describe('digestFolder', () => {
  test('changes when a file changes and not when nothing does', async () => {
    const root = await workspaceWithBuiltins('tiny');
    const dir = join(root, 'models/tiny');
    const before = await digestFolder(dir);
    expect(await digestFolder(dir)).toBe(before);
    await writeFile(join(dir, 'vocab.txt'), 'changed\n');
    expect(await digestFolder(dir)).not.toBe(before);
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', 'x'), '');
    expect(await digestFolder(dir)).toMatch(/^[0-9a-f]{64}$/);
  });

  test('ignores the model card (*.md): editing documentation reruns nothing', async () => {
    const root = await workspaceWithBuiltins('tiny');
    const dir = join(root, 'models/tiny');
    const before = await digestFolder(dir);
    await writeFile(join(dir, 'README.md'), '# a model card\n');
    expect(await digestFolder(dir)).toBe(before);
    await writeFile(join(dir, 'config.json'), '{}\n');
    expect(await digestFolder(dir)).not.toBe(before);
  });
});
