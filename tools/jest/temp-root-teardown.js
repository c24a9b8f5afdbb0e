// Jest globalTeardown: removes the temp root made by temp-root-setup.js (TUNEKIT_KEEP_TEST_TEMP=1 keeps it).
import { rmSync } from 'node:fs';

export default function teardown() {
  const root = process.env.TUNEKIT_JEST_TEMP_ROOT;
  if (!root) return;
  if (process.env.TUNEKIT_KEEP_TEST_TEMP === '1') console.log(`test temp files kept in ${root}`);
  else rmSync(root, { recursive: true, force: true });
}
