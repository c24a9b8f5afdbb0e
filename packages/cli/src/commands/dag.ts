import { loadPipeline, renderGraph, resolvePipelineFile, type GraphFormat } from '@tunekit/pipeline/engine';
import { line, parseCommandArgs, UsageError, type Command } from '../command.ts';

const FORMATS: GraphFormat[] = ['text', 'mermaid', 'dot'];

export const dagCommand: Command = {
  name: 'dag',
  summary: 'Print the stage graph (matrix cells expanded) as text, Mermaid or dot.',
  help: `Usage: tunekit dag <pipeline-file-or-name> [--format text|mermaid|dot] [--set stage.with.key=value]

Validates the pipeline (schema, references, plugins, cycles) and prints its graph.
Exit codes: 0 ok, 2 invalid pipeline or usage.`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { format: { type: 'string', default: 'text' }, set: { type: 'string', multiple: true } });
    if (positionals.length !== 1) throw new UsageError('expected exactly one pipeline file or name');
    const format = values.format as GraphFormat;
    if (!FORMATS.includes(format)) throw new UsageError(`--format expects one of ${FORMATS.join(', ')}, found "${format}"`);
    const pipeline = await loadPipeline(resolvePipelineFile(positionals[0]!, io.cwd), { overrides: values.set ?? [], structureOnly: true });
    line(io.stdout, renderGraph(pipeline.stages, format));
    return 0;
  },
};
