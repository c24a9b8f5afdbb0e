import { TrackingUnavailableError } from '../client/errors.ts';

/** What a command needs from its process (injected so tests can capture output). */
export interface CommandIO {
  workspaceRoot: string;
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export function processIO(workspaceRoot: string): CommandIO {
  return {
    workspaceRoot,
    env: process.env,
    stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  };
}

/**
 * The one-line message for a server that cannot be reached (`server unreachable: <url>: <error>`),
 * or undefined when `error` is something else.
 */
export function unreachableMessage(error: unknown, uri: string): string | undefined {
  if (!(error instanceof TrackingUnavailableError)) return undefined;
  return `server unreachable: ${uri}: ${error.reason}`;
}

/** Exit codes shared with the CLI: 0 ok, 1 failure, 2 usage. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
