/**
 * Headless Chromium (Debian `chromium`) through playwright-core, offline: no sandbox (CI runs as
 * root), no background networking. Used by the report's browser test and by the screenshot script.
 */
import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';

/** Path of the system Chromium; throws with an install hint when there is none. */
export function chromiumPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('no chromium on PATH: install it (Debian: apt-get install -y chromium)');
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
