// Example of an NPM-PACKAGE plugin: published JavaScript, `export const stages = [...]` under the
// package's "./stages" export. `uses: tunekit-plugin-wordcount/count` selects the stage by id.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const stages = [
  {
    id: 'tunekit-plugin-wordcount/count',
    version: '1',
    description: 'Count words in every .txt file of a text artifact.',
    params: {
      type: 'object',
      additionalProperties: false,
      properties: { lowercase: { type: 'boolean', default: true, description: 'count case-insensitively' } },
    },
    inputs: { text: { kind: 'text' } },
    outputs: { counts: { kind: 'metrics' } },
    async run(ctx) {
      const counts = {};
      for (const file of (await readdir(ctx.inputs.text.dir)).filter((name) => name.endsWith('.txt')).sort()) {
        let text = await readFile(join(ctx.inputs.text.dir, file), 'utf8');
        if (ctx.params.lowercase) text = text.toLowerCase();
        for (const word of text.match(/[\p{L}\p{N}']+/gu) ?? []) counts[word] = (counts[word] ?? 0) + 1;
      }
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      ctx.log.metric('words', total);
      await writeFile(join(ctx.outputs.counts.dir, 'metrics.json'), JSON.stringify({ total, counts }, null, 2) + '\n');
      await writeFile(join(ctx.outputs.counts.dir, 'manifest.json'), JSON.stringify({ kind: 'metrics', schemaVersion: 1 }) + '\n');
    },
  },
];
