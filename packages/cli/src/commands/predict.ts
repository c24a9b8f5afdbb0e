import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError, type Command } from '../command.ts';
import { findRun } from '../find-run.ts';
import { recordsStore } from '../store-location.ts';

/** `<run-id>/<stage>[/<output>]` → the output directory recorded for that stage (default output `model`). */
async function resolveModel(spec: string, cwd: string): Promise<string> {
  if (existsSync(resolve(cwd, spec))) return resolve(cwd, spec);
  const match = /^([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(spec);
  if (!match) throw new UsageError(`--model: "${spec}" is neither a directory nor <run-id>/<stage>[/<output>]`);
  const [, runId, stageId, output = 'model'] = match;
  const record = await findRun(recordsStore(cwd), runId!);
  const stage = record.stages[stageId!];
  if (!stage) throw new UsageError(`run ${record.runId} has no stage "${stageId}" (stages: ${Object.keys(record.stages).join(', ')})`);
  const out = stage.outputs[output];
  if (!out) throw new UsageError(`stage ${stageId} of run ${record.runId} has no output "${output}" (outputs: ${Object.keys(stage.outputs).join(', ')})`);
  return out.path;
}

/** `tunekit predict`: logic in @tunekit/evaluation (runPredictCommand). */
export const predictCommand: Command = {
  name: 'predict',
  summary: 'Label a CoNLL/TSV (NER) or JSONL (classification) file with a trained model, one prediction per input item.',
  help: `Usage: tunekit predict --model <model-dir | run-id/stage[/output]> --input <file> --output <file>
       [--batch-size N] [--max-length N]

NER input: one word per line (optionally word<TAB>gold), blank line between sentences; output
word<TAB>[gold<TAB>]pred<TAB>confidence with blank lines kept. Classification input: .jsonl with
{"text", "label"?}; output one JSON line per input line. Logic in @tunekit/evaluation.`,
  async run(argv, io) {
    const { runPredictCommand } = await import('@tunekit/evaluation/commands');
    const { taskProgress } = await import('@tunekit/pipeline/engine');
    const progress = taskProgress('predict', { stream: io.stderr });
    try {
      const out = { stdout: (t: string) => io.stdout.write(t), stderr: (t: string) => io.stderr.write(t), cwd: io.cwd };
      return await runPredictCommand(argv, { ...out, progress: (done, total) => progress.update(done, total, { unit: 'rows' }) }, (spec) => resolveModel(spec, io.cwd));
    } finally {
      progress.finish();
    }
  },
};
