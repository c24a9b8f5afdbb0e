import type { WriteStream } from 'node:fs';
import type { InputArtifact } from '../sdk/define-stage.ts';
import { forEachLine, type StageOutcome } from './stage-process.ts';

/** `model` → `TUNEKIT_INPUT_MODEL`; `eval-set` → `TUNEKIT_INPUT_EVAL_SET`. */
export function envName(prefix: 'INPUT' | 'OUTPUT', name: string): string {
  return `TUNEKIT_${prefix}_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

const REFERENCE = /\$\{\s*(inputs|outputs|params)\.([A-Za-z0-9_.-]+)\s*\}/g;

/** Substitute `${params.z}` (the stage's `with:`, then pipeline params), `${inputs.x}`, `${outputs.y}` in one argument. */
export function substituteArgument(
  arg: string | number,
  scope: { params: Record<string, unknown>; pipelineParams: Record<string, unknown>; inputs?: Record<string, string>; outputs?: Record<string, string> },
): string {
  return String(arg).replace(REFERENCE, (text, namespace: string, dotted: string) => {
    if (namespace === 'params') {
      const value = lookup(scope.params, dotted) ?? lookup(scope.pipelineParams, dotted);
      if (value === undefined) throw new Error(`unknown reference ${text} in run:`);
      return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
    }
    const table = namespace === 'inputs' ? scope.inputs : scope.outputs;
    if (!table) return text;
    const value = table[dotted];
    if (value === undefined) throw new Error(`unknown reference ${text} in run: (declared ${namespace}: ${Object.keys(table).join(', ') || 'none'})`);
    return value;
  });
}

function lookup(root: Record<string, unknown>, dotted: string): unknown {
  let node: unknown = root;
  for (const part of dotted.split('.')) {
    if (node === null || typeof node !== 'object' || !(part in (node as object))) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/**
 * Run a `uses: command` stage with execa: an argument array, never a shell. The process gets
 * TUNEKIT_OUTPUT_<NAME> (empty directories to fill), TUNEKIT_INPUT_<NAME> (read-only store
 * directories) and TUNEKIT_PARAMS (the `with:` object as JSON).
 */
export async function runCommandStage(options: {
  argv: (string | number)[];
  params: Record<string, unknown>;
  pipelineParams: Record<string, unknown>;
  inputs: Record<string, InputArtifact>;
  outputs: Record<string, string>;
  seed: number;
  scratchDir: string;
  cwd: string;
  log: WriteStream;
  signal: AbortSignal;
  onOutput?(source: 'stdout' | 'stderr', line: string): void;
}): Promise<StageOutcome> {
  const { execa } = await import('execa');
  const inputs = Object.fromEntries(Object.entries(options.inputs).map(([name, artifact]) => [name, artifact.dir]));
  let argv: string[];
  try {
    argv = options.argv.map((arg) => substituteArgument(arg, { params: options.params, pipelineParams: options.pipelineParams, inputs, outputs: options.outputs }));
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  const env: Record<string, string> = {
    TUNEKIT_PARAMS: JSON.stringify(options.params),
    TUNEKIT_SEED: String(options.seed),
    TUNEKIT_SCRATCH_DIR: options.scratchDir,
  };
  for (const [name, dir] of Object.entries(inputs)) env[envName('INPUT', name)] = dir;
  for (const [name, dir] of Object.entries(options.outputs)) env[envName('OUTPUT', name)] = dir;
  options.log.write(`$ ${argv.map((arg) => JSON.stringify(arg)).join(' ')}\n`);
  const subprocess = execa(argv[0]!, argv.slice(1), {
    cwd: options.cwd,
    env,
    reject: false,
    stdin: 'ignore',
    cancelSignal: options.signal,
    forceKillAfterDelay: 3000,
    buffer: false,
  });
  subprocess.stdout?.pipe(options.log, { end: false });
  subprocess.stderr?.pipe(options.log, { end: false });
  if (options.onOutput && subprocess.stdout && subprocess.stderr) {
    forEachLine(subprocess.stdout, (line) => options.onOutput!('stdout', line));
    forEachLine(subprocess.stderr, (line) => options.onOutput!('stderr', line));
  }
  const result = await subprocess;
  if (options.signal.aborted) return { ok: false, error: 'interrupted' };
  if (result.failed) {
    const reason = result.signal ? `killed by ${result.signal}` : result.exitCode !== undefined ? `exited with code ${result.exitCode}` : result.shortMessage;
    return { ok: false, error: `command ${JSON.stringify(argv[0])} ${reason}` };
  }
  return { ok: true };
}
