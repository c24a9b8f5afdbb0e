#!/usr/bin/env node
// Example of a `uses: command` program. It reads its input directory from TUNEKIT_INPUT_TEXT,
// its params from TUNEKIT_PARAMS, and fills the output directory named by TUNEKIT_OUTPUT_TEXT
// (also passed as the last argument through ${outputs.text}).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const params = JSON.parse(process.env.TUNEKIT_PARAMS ?? '{}');
const [inputFile, outputDir] = process.argv.slice(2);
const text = readFileSync(inputFile, 'utf8').trim().toUpperCase();
const times = params.times ?? 1;
writeFileSync(join(outputDir, 'text.txt'), Array(times).fill(text).join(' ') + '\n');
writeFileSync(join(process.env.TUNEKIT_OUTPUT_TEXT, 'manifest.json'), JSON.stringify({ kind: 'text', schemaVersion: 1, files: ['text.txt'] }) + '\n');
console.log(`shouted ${times} time(s)`);
