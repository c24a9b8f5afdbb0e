/**
 * Artifact hashing throughput: `hashArtifact` (the store's digest) on one large file.
 * Usage: node --import tsx bench/hash-throughput.ts [--size-mb 1024] [--runs 3]
 * Prints one line per run and, last, one JSON object. The file is written once to a temp
 * directory (then read from the page cache: we measure hashing, not the disk).
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { hashArtifact } from '../packages/pipeline/src/cache/digest.ts';

const { values } = parseArgs({ options: { 'size-mb': { type: 'string', default: '1024' }, runs: { type: 'string', default: '3' } } });
const sizeMb = Number(values['size-mb']);
const runs = Number(values.runs);
const dir = mkdtempSync(join(tmpdir(), 'tunekit-hash-bench-'));
const artifact = join(dir, 'artifact');
const file = join(artifact, 'model.safetensors');
await import('node:fs/promises').then((fs) => fs.mkdir(artifact));

const block = Buffer.alloc(16 * 1024 * 1024);
for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((i * 2654435761) >>> 0, i);
const fd = openSync(file, 'w');
for (let written = 0; written < sizeMb * 1024 * 1024; written += block.length) writeSync(fd, block);
closeSync(fd);
const bytes = sizeMb * 1024 * 1024;

async function timeIt(label: string, fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  const seconds = (performance.now() - start) / 1000;
  const gbps = bytes / seconds / 1e9;
  console.log(`${label.padEnd(44)} ${seconds.toFixed(3)} s  ${gbps.toFixed(2)} GB/s`);
  return gbps;
}

/** Baseline: what a naive fs.createReadStream (64 KiB chunks) + sha256 does. */
function streamHash(): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file).on('data', (chunk) => hash.update(chunk)).on('end', () => resolve(hash.digest('hex'))).on('error', reject);
  });
}

/** Ceiling: sha256 of bytes already in memory (OpenSSL speed on this CPU). */
async function inMemory(): Promise<void> {
  const hash = createHash('sha256');
  for (let done = 0; done < bytes; done += block.length) hash.update(block);
  hash.digest();
}

await hashArtifact(artifact); // warm the page cache
const results = { hashArtifact: [] as number[], createReadStream64k: [] as number[], inMemorySha256: [] as number[] };
for (let run = 1; run <= runs; run++) {
  results.hashArtifact.push(await timeIt(`run ${run}: hashArtifact (4 MiB reads)`, () => hashArtifact(artifact)));
  results.createReadStream64k.push(await timeIt(`run ${run}: createReadStream (64 KiB) + sha256`, streamHash));
  results.inMemorySha256.push(await timeIt(`run ${run}: sha256 of in-memory buffers`, inMemory));
}
rmSync(dir, { recursive: true, force: true });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(JSON.stringify({ size_mb: sizeMb, runs, gb_per_s: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, Number(median(v).toFixed(2))])) }));
