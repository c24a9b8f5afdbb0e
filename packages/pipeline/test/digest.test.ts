import { describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../src/cache/canonical-json.ts';
import { hashArtifact, hashFile, listFiles } from '../src/cache/digest.ts';
import { workspace } from './helpers.ts';

describe('artifact digest', () => {
  test('is sha256 over sorted relative paths, sizes and contents (exact bytes)', async () => {
    const dir = workspace({});
    mkdirSync(join(dir, 'art', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'art', 'b.txt'), 'bee');
    writeFileSync(join(dir, 'art', 'sub', 'a.txt'), 'a');
    const expected = createHash('sha256').update('file\0b.txt\x003\0bee').update('file\0sub/a.txt\x001\0a').digest('hex');
    expect(await hashArtifact(join(dir, 'art'))).toBe(expected);
  });

  test('does not depend on creation order; empty directories do not count', async () => {
    const one = workspace({ 'x/a': '1', 'x/b': '2' });
    const two = workspace({ 'x/b': '2', 'x/a': '1' });
    mkdirSync(join(two, 'x', 'empty'));
    expect(await hashArtifact(join(two, 'x'))).toBe(await hashArtifact(join(one, 'x')));
  });

  test('moving bytes between files changes it', async () => {
    const one = workspace({ 'x/a': 'ab', 'x/b': '' });
    const two = workspace({ 'x/a': 'a', 'x/b': 'b' });
    expect(await hashArtifact(join(two, 'x'))).not.toBe(await hashArtifact(join(one, 'x')));
  });

  test('symlinks are hashed by their target text, not followed', async () => {
    const dir = workspace({ 'x/real': 'data' });
    symlinkSync('real', join(dir, 'x', 'link'));
    expect(await listFiles(join(dir, 'x'))).toEqual(['link', 'real']);
    const expected = createHash('sha256').update('link\0link\0real\0').update('file\0real\x004\0data').digest('hex');
    expect(await hashArtifact(join(dir, 'x'))).toBe(expected);
  });

  test('hashFile streams a file larger than the read buffer', async () => {
    const dir = workspace({});
    const big = Buffer.alloc(9 * 1024 * 1024 + 17, 7);
    writeFileSync(join(dir, 'big'), big);
    expect(await hashFile(join(dir, 'big'))).toBe(createHash('sha256').update(big).digest('hex'));
  });
});

describe('canonical JSON', () => {
  test('sorts keys at every level and drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
  });
});
