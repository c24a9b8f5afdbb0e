// Shared Jest configuration: native ESM (run with --experimental-vm-modules), TypeScript through @swc/jest.
import { fileURLToPath } from 'node:url';

const tool = (name) => fileURLToPath(new URL(`./tools/jest/${name}`, import.meta.url));

export default {
  // Temp files of a test run live under one directory, removed at the end.
  globalSetup: tool('temp-root-setup.js'),
  globalTeardown: tool('temp-root-teardown.js'),
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'es6' },
      },
    ],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 120000,
};
