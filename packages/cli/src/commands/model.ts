import { join, resolve } from 'node:path';
import { line, parseCommandArgs, UsageError, type Command } from '../command.ts';

const help = `Usage: tunekit model <forward|inspect> <model-dir> [options]

  forward <model-dir> --input inputs.json --output out.json
                         Run one batch through a Hugging Face BERT folder (config.json +
                         model.safetensors) in eval mode. inputs.json: {"input_ids": [[...]],
                         "attention_mask"?: [[...]], "token_type_ids"?: [[...]]}. out.json gets
                         last_hidden_state, pooled (when the checkpoint has a pooler) and logits
                         (when it has a head). A training output that carries a strategy
                         (tunekit_strategy.json: LoRA, adapters) runs with it applied, as trained.
    --backend cpu|wasm   Force a tfjs backend (default: TUNEKIT_BACKEND, else the fastest that loads).
    --hidden-states      Also write hidden_states (embeddings output, then every layer).
    --lenient            Load even when tensors are missing or unexpected (reported on stderr).
  inspect <model-dir>    Print the config summary and the tensor table (name, dtype, shape); checks the
                         folder as loading would (a bad config.json, model.safetensors or vocab.txt
                         is an error naming the file, exit 2).
    --json               The same as one JSON object.
    --lenient            List missing / unexpected tensors instead of refusing the folder.

Logic lives in @tunekit/model-loader (runModelForward, inspectModel).`;

export const modelCommand: Command = {
  name: 'model',
  summary: 'Check a model folder: run one batch through it (forward) or list its config and tensors (inspect).',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      input: { type: 'string' },
      output: { type: 'string' },
      backend: { type: 'string' },
      'hidden-states': { type: 'boolean', default: false },
      lenient: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    });
    const [action, modelDir, ...extra] = positionals;
    if (!modelDir || extra.length > 0) throw new UsageError('expected: tunekit model <forward|inspect> <model-dir>');
    const loader = await import('@tunekit/model-loader');
    if (action === 'inspect') {
      const report = await loader.inspectModel(resolve(io.cwd, modelDir), { strict: !values.lenient });
      line(io.stdout, values.json ? JSON.stringify(report) : loader.formatInspectReport(report));
      return 0;
    }
    if (action !== 'forward') throw new UsageError(`unknown action "${action}" (expected forward or inspect)`);
    if (!values.input || !values.output) throw new UsageError('forward needs --input <inputs.json> and --output <out.json>');
    if (values.backend !== undefined && values.backend !== 'cpu' && values.backend !== 'wasm') throw new UsageError(`--backend expects cpu or wasm, found "${values.backend}"`);
    const result = await loader.runModelForward({
      modelDir: resolve(io.cwd, modelDir),
      inputPath: resolve(io.cwd, values.input),
      outputPath: resolve(io.cwd, values.output),
      backend: values.backend as 'cpu' | 'wasm' | undefined,
      strict: !values.lenient,
      hiddenStates: values['hidden-states'],
      // Re-apply a training output's strategy (LoRA / adapter layers and their weights) as trained, unmerged.
      load: async (dir, options) => {
        const { loadModelWithStrategy } = await import('@tunekit/strategies');
        const { model, strategy } = await loadModelWithStrategy(dir, options);
        return { model, strategy: strategy?.name ?? null };
      },
    });
    if (result.strategy) line(io.stderr, `applied strategy "${result.strategy}" (${join(modelDir, 'tunekit_strategy.json')})`);
    for (const key of ['missing', 'unexpected'] as const) {
      if (result.loadReport[key].length) line(io.stderr, `${key} tensors: ${result.loadReport[key].join(', ')}`);
    }
    line(io.stdout, `wrote ${values.output}: ${result.outputs.join(', ')} (backend ${result.backend})`);
    return 0;
  },
};
