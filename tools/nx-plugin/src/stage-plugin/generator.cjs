// `npx nx g @tunekit/nx-plugin:stage-plugin <name>`: a new stage plugin package in packages/<name>.
// CommonJS for the reason index.cjs is: Nx require()s generators, and the workspace is ESM.
const { join } = require('node:path');
const { generateFiles } = require('@nx/devkit');
const { validateName } = require('./validate-name.cjs');
const { linkPackage } = require('./link-package.cjs');

/**
 * Writes packages/<name>/ from ./files (package.json, README, tsconfig, jest config, the stage
 * `<name>/example`, its test). Returns the post-step Nx runs once the files are on disk.
 * @param {import('@nx/devkit').Tree} tree
 * @param {{ name: string, skipInstall?: boolean }} options
 */
async function stagePluginGenerator(tree, options) {
  const name = validateName(tree, options.name);
  generateFiles(tree, join(__dirname, 'files'), `packages/${name}`, { name });
  return () => linkPackage(tree.root, name, { skipInstall: options.skipInstall });
}

module.exports = stagePluginGenerator;
module.exports.default = stagePluginGenerator;
