/**
 * Without TUNEKIT_HOME the store is `.tunekit/` at the workspace root (the nearest directory
 * holding nx.json or .git), the run record names the git commit, and the output directories
 * `--json` reports hold read-only files.
 */
import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureWorkspace, lastJson, tunekit } from './helpers.ts';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' }).trim();

describe('default store and run record', () => {
  test('.tunekit at the workspace root, the git commit in the record and in show, read-only outputs', async () => {
    const ws = fixtureWorkspace({ 'pipelines/p.yaml': `stages:\n  a:\n    uses: ../plugins/write.ts\n    with: { text: hi }\n` });
    git(ws.dir, 'init', '-q');
    git(ws.dir, 'commit', '-q', '--allow-empty', '-m', 'fixture');
    const head = git(ws.dir, 'rev-parse', 'HEAD');
    // run from a sub-directory, with TUNEKIT_HOME unset: the store is found from the .git root
    const result = await tunekit(['run', 'p.yaml', '--json'], { cwd: join(ws.dir, 'pipelines'), store: '', env: { TUNEKIT_HOME: '' } });
    expect(result.code).toBe(0);
    const run = lastJson(result);
    const store = join(ws.dir, '.tunekit');
    const output = run.stages.a!.outputs.out!.path;
    expect(output.startsWith(join(store, 'objects') + '/')).toBe(true);

    const record = JSON.parse(readFileSync(join(store, 'runs', `${run.runId}.json`), 'utf8'));
    expect(record.gitCommit).toBe(head);
    const show = await tunekit(['show', run.runId], { cwd: ws.dir, store: '', env: { TUNEKIT_HOME: '' } });
    expect(show.stdout).toContain(`git commit ${head}`);

    const files = readdirSync(output);
    expect(files).toContain('text.txt');
    for (const file of files) expect(statSync(join(output, file)).mode & 0o222).toBe(0);
  });
});
