// The name of a new stage plugin package: lowercase kebab-case, and not taken by a workspace package.
// It becomes the folder packages/<name>, the package @tunekit/<name> and the first segment of `uses:`.
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Names of the workspace packages (package.json `name`) under packages/ and tools/ in the tree. */
function workspacePackageNames(tree) {
  const names = [];
  for (const parent of ['packages', 'tools']) {
    for (const child of tree.exists(parent) ? tree.children(parent) : []) {
      const manifest = `${parent}/${child}/package.json`;
      if (tree.exists(manifest)) names.push(JSON.parse(tree.read(manifest, 'utf-8')).name);
    }
  }
  return names;
}

/**
 * Why `name` cannot be used, or undefined when it can.
 * @param {import('@nx/devkit').Tree} tree
 * @param {unknown} name
 * @returns {string | undefined}
 */
function nameProblem(tree, name) {
  if (typeof name !== 'string' || !KEBAB.test(name)) {
    return `"${String(name)}" is not a valid stage plugin name: use lowercase kebab-case (a-z, 0-9 and single dashes, starting with a letter), e.g. "my-stages"`;
  }
  if (tree.exists(`packages/${name}`)) return `packages/${name} already exists: choose another name`;
  if (workspacePackageNames(tree).includes(`@tunekit/${name}`)) return `a workspace package is already named @tunekit/${name}: choose another name`;
  return undefined;
}

/**
 * The name, checked; throws an Error with a message for the user otherwise.
 * @param {import('@nx/devkit').Tree} tree
 * @param {unknown} name
 * @returns {string}
 */
function validateName(tree, name) {
  const problem = nameProblem(tree, name);
  if (problem) throw new Error(`stage-plugin: ${problem}`);
  return /** @type {string} */ (name);
}

module.exports = { validateName, nameProblem };
