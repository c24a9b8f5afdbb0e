import { isUserError } from '@tunekit/pipeline';
import { UsageError, line, type CommandIO } from './command.ts';
import { commands } from './commands/index.ts';

function globalHelp(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'Usage: tunekit <command> [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Run `tunekit <command> --help` for a command\'s options.',
    'Exit codes: 0 ok, 1 a stage failed (or an internal error), 2 invalid pipeline, input or usage.',
    'Errors print one line; `--debug` (any command) or TUNEKIT_DEBUG=1 adds the stack trace.',
  ].join('\n');
}

/** `--debug` anywhere on the command line, or TUNEKIT_DEBUG=1: print stack traces. */
function debugRequested(argv: string[], env: NodeJS.ProcessEnv): boolean {
  return argv.includes('--debug') || (env.TUNEKIT_DEBUG !== undefined && !['', '0', 'false'].includes(env.TUNEKIT_DEBUG));
}

/**
 * Run the CLI; returns the process exit code. The one error boundary (ARCHITECTURE.md "Errors"):
 * a user error (bad pipeline, params, input, model folder, plugin module, unreachable server) is
 * its message alone, exit 2; anything else is an internal error, exit 1. Stacks only with --debug.
 */
export async function main(argv: string[], io: CommandIO = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }): Promise<number> {
  const debug = debugRequested(argv, process.env);
  const [name, ...rest] = argv.filter((arg) => arg !== '--debug');
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    line(name ? io.stdout : io.stderr, globalHelp());
    return name ? 0 : 2;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    line(io.stderr, `tunekit: unknown command "${name}"\n\n${globalHelp()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    line(io.stdout, command.help);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    const stack = debug && error instanceof Error && error.stack ? `\n${error.stack}` : '';
    if (isUserError(error)) {
      line(io.stderr, `${error.message}${stack}`);
      return 2;
    }
    if (error instanceof UsageError) {
      line(io.stderr, `tunekit ${command.name}: ${error.message}\n(see tunekit ${command.name} --help)`);
      return 2;
    }
    const message = error instanceof Error ? `${error.name && error.name !== 'Error' ? `${error.name}: ` : ''}${error.message.split('\n')[0]}` : String(error);
    line(io.stderr, `tunekit ${command.name}: internal error: ${message}${stack || ' (rerun with --debug for the stack)'}`);
    return 1;
  }
}
