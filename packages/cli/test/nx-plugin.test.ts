/** tools/nx-plugin: one `pipeline` project with one uncached target per pipelines/*.yaml; extra arguments pass through. */
import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..', '..', '..');
const plugin = createRequire(import.meta.url)(join(root, 'tools', 'nx-plugin', 'index.cjs')) as {
  createNodesV2: [string, (files: string[]) => Promise<[string, { projects: Record<string, { name: string; targets: Record<string, { cache: boolean; options: { command: string } }> }> }][]>];
};

describe('nx plugin', () => {
  test('createNodesV2 maps each pipeline file to a target of project "pipeline"', async () => {
    const [glob, create] = plugin.createNodesV2;
    expect(glob).toBe('pipelines/*.{yaml,yml}');
    const results = await create(['pipelines/hello.yaml', 'pipelines/medical-ner.yaml']);
    expect(results.map(([file]) => file)).toEqual(['pipelines/hello.yaml', 'pipelines/medical-ner.yaml']);
    const hello = results[0]![1].projects.pipelines!;
    expect(hello.name).toBe('pipeline');
    expect(hello.targets.hello).toEqual(
      expect.objectContaining({ executor: 'nx:run-commands', cache: false, options: { command: 'node packages/cli/bin/tunekit.js run pipelines/hello.yaml', cwd: '{workspaceRoot}' } }),
    );
    expect(Object.keys(results[1]![1].projects.pipelines!.targets)).toEqual(['medical-ner']);
  });

  test('npx nx show project pipeline lists a target per pipelines/*.yaml', () => {
    const out = execFileSync('npx', ['nx', 'show', 'project', 'pipeline', '--json'], { cwd: root, env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' }, encoding: 'utf8' });
    const project = JSON.parse(out) as { name: string; targets: Record<string, { cache: boolean }> };
    const expected = readdirSync(join(root, 'pipelines')).filter((f) => /\.ya?ml$/.test(f)).map((f) => f.replace(/\.ya?ml$/, '')).sort();
    expect(project.name).toBe('pipeline');
    expect(Object.keys(project.targets).sort()).toEqual(expected);
    for (const target of Object.values(project.targets)) expect(target.cache).toBe(false);
  });

  test('npx nx run pipeline:<name> -- <args> passes the arguments to tunekit run', () => {
    // --help makes `tunekit run` print its usage and run nothing; the temp store keeps the
    // workspace store untouched should the arguments ever be dropped (the pipeline would then run).
    const store = mkdtempSync(join(tmpdir(), 'tunekit-nx-'));
    try {
      const raw = execFileSync('npx', ['nx', 'run', 'pipeline:hello', '--skip-nx-cache', '--', '--help'], {
        cwd: root,
        env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', TUNEKIT_HOME: store, TUNEKIT_TRACKING: '0' },
        encoding: 'utf8',
      });
      // Nx styles its command echo with ANSI codes in some environments (e.g. CI=true).
      const out = raw.replace(/\x1b\[[0-9;]*m/g, '');
      expect(out).toContain('> node packages/cli/bin/tunekit.js run pipelines/hello.yaml --help');
      expect(out).toContain('Usage: tunekit run <pipeline-file-or-name> [options]');
      expect(readdirSync(store)).toEqual([]);
    } finally {
      rmSync(store, { recursive: true, force: true });
    }
  });
});
