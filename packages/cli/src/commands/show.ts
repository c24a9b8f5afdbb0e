import { line, parseCommandArgs, UsageError, type Command } from '../command.ts';
import { findRun } from '../find-run.ts';
import { recordsStore } from '../store-location.ts';
import { describeRuntime, type RuntimeFacts } from '@tunekit/compute/runtime-facts';

export const showCommand: Command = {
  name: 'show',
  summary: 'Show one run record: per stage status, cache key, digests, time, log, error.',
  help: `Usage: tunekit show <run-id|prefix|latest> [--json] [--store <dir>]`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' }, store: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError('expected one run id');
    const record = await findRun(recordsStore(io.cwd, values.store), positionals[0]!);
    if (values.json) {
      line(io.stdout, JSON.stringify(record));
      return 0;
    }
    line(io.stdout, `run ${record.runId}: ${record.pipelineName} (${record.pipelineFile})`);
    line(io.stdout, `status ${record.status}, started ${record.startedAt}${record.finishedAt ? `, finished ${record.finishedAt}` : ''}`);
    if (record.gitCommit) line(io.stdout, `git commit ${record.gitCommit}`);
    if (record.overrides.length) line(io.stdout, `overrides: ${record.overrides.join(' ')}`);
    if (record.runtime) line(io.stdout, describeRuntime(record.runtime as RuntimeFacts));
    for (const stage of Object.values(record.stages)) {
      line(io.stdout, `\n${stage.id}  [${stage.uses}]  ${stage.status}  ${stage.seconds.toFixed(2)}s`);
      if (stage.key) line(io.stdout, `  key      ${stage.key}`);
      for (const [name, digest] of Object.entries(stage.inputs)) line(io.stdout, `  input    ${name} ${digest}`);
      for (const [name, out] of Object.entries(stage.outputs)) line(io.stdout, `  output   ${name} ${out.digest}\n           ${out.path}`);
      if (stage.reason) line(io.stdout, `  reason   ${stage.reason}`);
      if (stage.producedBy) line(io.stdout, `  cached from run ${stage.producedBy.runId} (${stage.producedBy.stageId})`);
      if (stage.fingerprint) line(io.stdout, `  runtime  ${JSON.stringify(stage.fingerprint)}`);
      if (stage.log) line(io.stdout, `  log      ${stage.log}`);
      if (stage.error) line(io.stdout, `  error    ${stage.error}`);
    }
    return 0;
  },
};
