/**
 * Example of a stage that consumes EVERY cell of a matrix stage: its input is declared
 * `collection: true` and the pipeline references `stage[*].output`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineStage, writeManifest } from '@tunekit/pipeline';

export default defineStage<{ title: string }>({
  id: 'examples/report',
  version: '1',
  description: 'One Markdown report over every gathered text artifact.',
  params: {
    type: 'object',
    additionalProperties: false,
    properties: { title: { type: 'string', default: 'Report' } },
  },
  inputs: { texts: { kind: 'text', collection: true, description: 'every cell of a matrix stage' } },
  outputs: { report: { kind: 'report' } },
  async run(ctx) {
    const lines = [`# ${ctx.params.title}`, ''];
    for (const item of ctx.inputs.texts!.items ?? []) {
      const files = (await readFile(join(item.dir, 'manifest.json'), 'utf8').then(JSON.parse).catch(() => ({ files: ['text.txt'] }))) as { files: string[] };
      const text = await readFile(join(item.dir, files.files[0]!), 'utf8');
      lines.push(`- ${item.stageId} (${JSON.stringify(item.coords)}): ${text.trim()}`);
    }
    await writeFile(join(ctx.outputs.report!.dir, 'report.md'), lines.join('\n') + '\n');
    await writeManifest(ctx.outputs.report!.dir, { kind: 'report', schemaVersion: 1, files: ['report.md'] });
    ctx.log.artifact(join(ctx.outputs.report!.dir, 'report.md'));
  },
});
