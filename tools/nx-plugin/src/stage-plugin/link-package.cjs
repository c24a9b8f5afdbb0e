// After the files are written: make @tunekit/<name> resolvable at once, as `npm install` would,
// and record the new workspace package in package-lock.json so that `npm ci` installs it.
const { execFileSync } = require('node:child_process');
const { lstatSync, mkdirSync, symlinkSync } = require('node:fs');
const { join } = require('node:path');

function exists(path) {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * node_modules/@tunekit/<name> → ../../packages/<name> (npm workspaces' own link), then, unless
 * skipInstall, `npm install --package-lock-only` (writes package-lock.json only: no download,
 * nothing else in node_modules changes).
 * @param {string} workspaceRoot
 * @param {string} name
 * @param {{ skipInstall?: boolean, log?: (line: string) => void }} [options]
 */
function linkPackage(workspaceRoot, name, options = {}) {
  const log = options.log ?? ((line) => console.log(line));
  const link = join(workspaceRoot, 'node_modules', '@tunekit', name);
  if (!exists(link)) {
    mkdirSync(join(workspaceRoot, 'node_modules', '@tunekit'), { recursive: true });
    symlinkSync(join('..', '..', 'packages', name), link, 'dir');
    log(`linked node_modules/@tunekit/${name} -> packages/${name}`);
  }
  if (options.skipInstall) {
    log('skipped the package-lock.json update (--skipInstall): run `npm install` before committing');
    return;
  }
  execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: workspaceRoot, stdio: 'inherit' });
  log(`package-lock.json lists packages/${name}`);
}

module.exports = { linkPackage };
