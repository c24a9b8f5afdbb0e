import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../src/main.ts';
import { commands } from '../src/commands/index.ts';

function capture() {
  let text = '';
  const stream = new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } });
  return { stream, text: () => text };
}

describe('tunekit --help', () => {
  test('lists every command', async () => {
    const out = capture();
    const code = await main(['--help'], { stdout: out.stream, stderr: out.stream, cwd: process.cwd() });
    expect(code).toBe(0);
    for (const command of commands) expect(out.text()).toContain(`  ${command.name}`);
  });

  test.each(commands.map((command) => command.name))('%s --help prints its usage and exits 0', async (name) => {
    const out = capture();
    expect(await main([name, '--help'], { stdout: out.stream, stderr: out.stream, cwd: process.cwd() })).toBe(0);
    expect(out.text()).toMatch(/^Usage: tunekit /);
  });

  test('npx tunekit works from the workspace root (the workspace bin link) and documents the exit codes', () => {
    const root = join(fileURLToPath(import.meta.url), '..', '..', '..', '..');
    const out = execFileSync('npx', ['--no-install', 'tunekit', '--help'], { cwd: root, encoding: 'utf8' });
    for (const command of commands) expect(out).toContain(`  ${command.name}`);
    expect(out).toContain('Exit codes: 0 ok, 1 a stage failed (or an internal error), 2 invalid pipeline, input or usage.');
  });

  test('an unknown command exits 2', async () => {
    const out = capture();
    expect(await main(['nope'], { stdout: out.stream, stderr: out.stream, cwd: process.cwd() })).toBe(2);
    expect(out.text()).toContain('unknown command "nope"');
  });

  test('an unknown option exits 2 with a usage hint', async () => {
    const out = capture();
    expect(await main(['run', 'x.yaml', '--bogus'], { stdout: out.stream, stderr: out.stream, cwd: process.cwd() })).toBe(2);
    expect(out.text()).toContain("Unknown option '--bogus'");
  });
});
