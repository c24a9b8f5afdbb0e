/** The stage-plugin generator on Nx's in-memory tree: the files it writes and the names it refuses. */
import { describe, expect, test } from '@jest/globals';
import { createRequire } from 'node:module';
import type { Tree } from '@nx/devkit';

const require = createRequire(import.meta.url);
const { createTreeWithEmptyWorkspace } = require('@nx/devkit/testing') as { createTreeWithEmptyWorkspace(): Tree };
const generator = require('../src/stage-plugin/generator.cjs') as (tree: Tree, options: { name: string }) => Promise<() => void>;

/** An empty Nx workspace with two packages already there: packages/data-prep and tools/nx-plugin. */
function workspaceTree(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  tree.write('packages/data-prep/package.json', JSON.stringify({ name: '@tunekit/data-prep' }));
  tree.write('tools/nx-plugin/package.json', JSON.stringify({ name: '@tunekit/nx-plugin' }));
  return tree;
}

describe('stage-plugin generator', () => {
  test('writes packages/<name> with the stage <name>/example, its index, test, README and package.json', async () => {
    const tree = workspaceTree();
    const postStep = await generator(tree, { name: 'my-stages' });
    expect(typeof postStep).toBe('function');
    expect(tree.children('packages/my-stages').sort()).toEqual(['README.md', 'jest.config.js', 'package.json', 'src', 'test', 'tsconfig.json']);
    expect(JSON.parse(tree.read('packages/my-stages/package.json', 'utf-8')!)).toEqual(
      expect.objectContaining({ name: '@tunekit/my-stages', type: 'module', exports: { './stages': './src/stages/index.ts' }, dependencies: { '@tunekit/pipeline': '*' } }),
    );
    const stage = tree.read('packages/my-stages/src/stages/example.ts', 'utf-8')!;
    expect(stage).toContain("id: 'my-stages/example'");
    expect(stage).toContain("required: ['greeting']");
    expect(tree.read('packages/my-stages/test/example.test.ts', 'utf-8')).toContain('uses: my-stages/example');
    expect(tree.read('packages/my-stages/README.md', 'utf-8')).toMatch(/^# @tunekit\/my-stages\n/);
  });

  test.each(['MyStages', 'my_stages', 'my--stages', '-stages', 'stages-', '1stages', '@tunekit/x', ''])('refuses the name %j: not lowercase kebab-case', async (name) => {
    await expect(generator(workspaceTree(), { name })).rejects.toThrow(
      `stage-plugin: "${name}" is not a valid stage plugin name: use lowercase kebab-case (a-z, 0-9 and single dashes, starting with a letter), e.g. "my-stages"`,
    );
  });

  test('refuses the name of an existing package folder', async () => {
    await expect(generator(workspaceTree(), { name: 'data-prep' })).rejects.toThrow('stage-plugin: packages/data-prep already exists: choose another name');
  });

  test('refuses a name whose @tunekit/<name> another workspace package already has', async () => {
    await expect(generator(workspaceTree(), { name: 'nx-plugin' })).rejects.toThrow('stage-plugin: a workspace package is already named @tunekit/nx-plugin: choose another name');
  });
});
