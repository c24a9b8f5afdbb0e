// Jest globalSetup: every temp directory a test makes (os.tmpdir(), also in the CLI and stage
// processes the tests spawn) goes under one fresh directory, removed by temp-root-teardown.js.
// Without it each test run left hundreds of directories in /tmp.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup() {
  const root = mkdtempSync(join(tmpdir(), 'tunekit-jest-'));
  process.env.TUNEKIT_JEST_TEMP_ROOT = root;
  process.env.TMPDIR = root;
}
