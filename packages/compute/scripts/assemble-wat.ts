/**
 * Assembles src/parallel/simd/kernels.wat into kernels.wasm with wabt (`npm run build:wasm`).
 * The .wasm is committed (no build step at run time); test/parallel/simd.test.ts checks it matches.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { assembleWat } from './wat.ts';

const source = fileURLToPath(new URL('../src/parallel/simd/kernels.wat', import.meta.url));
const bytes = await assembleWat(source, await readFile(source, 'utf8'));
await writeFile(source.replace(/\.wat$/, '.wasm'), bytes);
console.log(`${source.replace(/\.wat$/, '.wasm')}: ${bytes.length} bytes`);
