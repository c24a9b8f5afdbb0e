// npm `install` script: compile the addon with node-gyp. Never fails the install: without a C
// compiler, Node's headers or OpenBLAS, TuneKit runs matMuls on XNNPACK instead (see README).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (process.env.TUNEKIT_SKIP_NATIVE === '1') {
  console.log('@tunekit/native: TUNEKIT_SKIP_NATIVE=1, addon not built (matMuls run on XNNPACK)');
  process.exit(0);
}
const gyp = process.env.npm_config_node_gyp ?? findNodeGyp();
const result = gyp
  ? spawnSync(process.execPath, [gyp, 'rebuild'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' })
  : { status: 1, stdout: '', stderr: 'node-gyp not found (it ships with npm)' };
if (result.status === 0 && existsSync(join(root, 'build/Release/tunekit_native.node'))) {
  console.log('@tunekit/native: addon built');
} else {
  const tail = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim().split('\n').slice(-8).join('\n');
  console.warn(`@tunekit/native: addon NOT built, matMuls will run on XNNPACK (slower). Last output:\n${tail}`);
}

function findNodeGyp() {
  const candidates = [join(dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js')];
  try {
    candidates.unshift(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not a dependency: use npm's own copy
  }
  return candidates.find((path) => existsSync(path));
}
