/** Example of a LOCAL plugin module: a TypeScript file next to the pipeline, `uses: ./local/greet.ts`. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineStage, writeManifest } from '@tunekit/pipeline';

export default defineStage<{ name: string; punctuation: string }>({
  id: 'examples/greet',
  version: '1',
  description: 'Write a greeting for `name` to greeting.txt.',
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', description: 'who to greet' },
      punctuation: { type: 'string', default: '!', description: 'appended to the greeting' },
    },
  },
  inputs: {},
  outputs: { text: { kind: 'text', description: 'greeting.txt' } },
  async run(ctx) {
    const greeting = `Hello, ${ctx.params.name}${ctx.params.punctuation}`;
    ctx.log.info(greeting);
    ctx.log.metric('length', greeting.length);
    await writeFile(join(ctx.outputs.text!.dir, 'greeting.txt'), greeting + '\n');
    await writeManifest(ctx.outputs.text!.dir, { kind: 'text', schemaVersion: 1, files: ['greeting.txt'] });
  },
});
