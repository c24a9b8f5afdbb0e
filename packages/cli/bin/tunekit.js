#!/usr/bin/env node
// The `tunekit` binary: registers tsx (TypeScript runs without a build step) and starts the CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
