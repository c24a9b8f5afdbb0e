#!/usr/bin/env node
// The `tunekit` binary: registers tsx (TypeScript runs without a build step) and starts the CLI.
import { register } from 'tsx/esm/api';

// `tunekit ... | head`: the reader went away; stop quietly as Unix tools do instead of crashing on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
