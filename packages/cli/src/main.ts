import { isPipelineError } from '@tunekit/pipeline';
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
    'Exit codes: 0 ok, 1 a stage failed, 2 invalid pipeline or usage.',
  ].join('\n');
}

/** Run the CLI; returns the process exit code. */
export async function main(argv: string[], io: CommandIO = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }): Promise<number> {
  const [name, ...rest] = argv;
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
    if (isPipelineError(error)) {
      line(io.stderr, error.message);
      return 2;
    }
    if (error instanceof UsageError) {
      line(io.stderr, `tunekit ${command.name}: ${error.message}\n(see tunekit ${command.name} --help)`);
      return 2;
    }
    line(io.stderr, `tunekit ${command.name}: ${(error as Error).stack ?? error}`);
    return 1;
  }
}
