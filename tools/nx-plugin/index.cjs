// Local Nx plugin (createNodesV2): one project named `pipeline` with one target per
// `pipelines/*.yaml`, each running `tunekit run` on that file. Extra arguments pass through:
//   npx nx run pipeline:hello -- --set greet.with.punctuation=?
// CommonJS on purpose: Nx loads plugins with require() (the workspace is "type": "module",
// so the `.cjs` extension is what makes this file CommonJS without a build step).
const { basename } = require('node:path');

const PIPELINES_GLOB = 'pipelines/*.{yaml,yml}';

/** Target name for a pipeline file: its file name without extension. */
function targetName(file) {
  return basename(file).replace(/\.ya?ml$/, '');
}

/** One target per pipeline file. Plain data: Nx merges the targets of the `pipelines` project. */
function createNodesForPipeline(file) {
  return {
    projects: {
      pipelines: {
        name: 'pipeline',
        root: 'pipelines',
        targets: {
          [targetName(file)]: {
            executor: 'nx:run-commands',
            // Our engine caches stages; Nx task caching would replay stale output.
            cache: false,
            options: {
              command: `node packages/cli/bin/tunekit.js run ${file}`,
              cwd: '{workspaceRoot}',
            },
            metadata: { description: `tunekit run ${file}`, technologies: ['tunekit'] },
          },
        },
      },
    },
  };
}

const createNodesV2 = [
  PIPELINES_GLOB,
  async (files) => files.map((file) => [file, createNodesForPipeline(file)]),
];

module.exports = { createNodesV2, createNodesForPipeline, targetName, PIPELINES_GLOB };
