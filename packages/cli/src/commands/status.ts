import { keyPathText, loadPipeline, pipelineStatus, resolvePipelineFile } from '@tunekit/pipeline/engine';
import { line, parseCommandArgs, UsageError, type Command } from '../command.ts';
import { openCommandStore, withStore } from '../store-location.ts';

const help = `Usage: tunekit status <pipeline-file-or-name> [--set stage.with.key=value]... [--json] [--store <dir|s3://bucket/prefix>]

For every stage (matrix cells expanded): cached, or not and why — which part of its cache key
changed since that stage's last run (param, input digest, code, runtime fingerprint, seed, ...),
or "never run". Runs nothing; plugin fingerprints are computed as \`run\` computes them.
--json prints one object:
  {"pipeline","stages":{"<id>":{"cached","key","reason","changes":[{"path","before","after"}],"waitsFor"}}}
Exit codes: 0 (whether or not stages are cached), 2 invalid pipeline or usage.`;

export const statusCommand: Command = {
  name: 'status',
  summary: 'Which stages are cached, and for the others which part of the cache key changed.',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { set: { type: 'string', multiple: true }, json: { type: 'boolean' }, store: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError('expected exactly one pipeline file or name');
    const pipeline = await loadPipeline(resolvePipelineFile(positionals[0]!, io.cwd), { overrides: values.set ?? [] });
    const report = await withStore(await openCommandStore(io.cwd, values.store, pipeline), (store) => pipelineStatus(pipeline, { store }));
    if (values.json) {
      const stages = Object.fromEntries(
        report.map(({ id, changes, uses: _uses, ...rest }) => [id, { ...rest, ...(changes ? { changes: changes.map((change) => ({ ...change, path: keyPathText(change.path) })) } : {}) }]),
      );
      line(io.stdout, JSON.stringify({ pipeline: pipeline.name, stages }));
      return 0;
    }
    const cached = report.filter((stage) => stage.cached).length;
    line(io.stdout, `${pipeline.name}: ${cached} of ${report.length} stages cached`);
    const width = Math.max(...report.map((stage) => stage.id.length));
    for (const stage of report) line(io.stdout, `  ${stage.id.padEnd(width)}  ${stage.cached ? 'cached' : `not cached: ${stage.reason}`}`);
    return 0;
  },
};
