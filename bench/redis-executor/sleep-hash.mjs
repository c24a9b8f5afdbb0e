// A command stage for the redis executor tests and bench: sleep TUNEKIT_PARAMS.ms, then write
// sha256(input text + argv) to TUNEKIT_OUTPUT_OUT/text.txt. `fail: true` exits 3 after printing a line.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const params = JSON.parse(process.env.TUNEKIT_PARAMS);
const input = process.env.TUNEKIT_INPUT_SRC ? readFileSync(join(process.env.TUNEKIT_INPUT_SRC, 'text.txt'), 'utf8') : '';
console.log(`sleep-hash ${process.argv.slice(2).join(' ')}: sleeping ${params.ms} ms`);
await new Promise((done) => setTimeout(done, params.ms ?? 0));
if (params.fail && !existsSync(params.fail_unless ?? '/nonexistent')) {
  console.error('sleep-hash: failing on purpose (params.fail)');
  process.exit(3);
}
const digest = createHash('sha256').update(input + process.argv.slice(2).join(' ')).digest('hex');
writeFileSync(join(process.env.TUNEKIT_OUTPUT_OUT, 'text.txt'), digest);
