import { defineStage, type StageDefinition } from '../sdk/define-stage.ts';

/**
 * `uses: command`: an external program run with an argument array (never a shell string).
 * Its inputs are those named in the YAML, its outputs the YAML `outputs:` list, its params the
 * free-form `with:` object. The runner executes it (see runner/run-command.ts).
 */
export const COMMAND_USES = 'command';

export function commandStageDefinition(inputs: string[], outputs: string[]): StageDefinition {
  return defineStage({
    id: 'tunekit/command',
    version: '1',
    description: 'An external command with declared inputs and outputs.',
    params: { type: 'object' },
    inputs: Object.fromEntries(inputs.map((name) => [name, { kind: 'any' }])),
    outputs: Object.fromEntries(outputs.map((name) => [name, { kind: 'any' }])),
    async run() {
      throw new Error('command stages are executed by the runner directly');
    },
  });
}
