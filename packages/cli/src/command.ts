import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Where a command writes: injectable so tests and `main` share one path. */
export interface CommandIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
}

/** One `tunekit <name>` command: one file in src/commands/, one line in src/commands/index.ts. */
export interface Command {
  name: string;
  /** One line for `tunekit --help`. */
  summary: string;
  /** Full `--help` text. */
  help: string;
  /** Returns the exit code: 0 ok, 1 a stage failed (or a check failed), 2 invalid pipeline/usage. */
  run(argv: string[], io: CommandIO): Promise<number>;
}

/** Bad command-line usage: printed with the command's help hint, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** `node:util` parseArgs with `--help`, strict checking and usage errors instead of throws. */
export function parseCommandArgs<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function line(stream: NodeJS.WritableStream, text = ''): void {
  stream.write(text + '\n');
}
