import { fork, type ChildProcess } from 'node:child_process';
import type { WriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RunStageMessage, WorkerMessage } from './worker-protocol.ts';

const WORKER = fileURLToPath(new URL('./stage-worker.ts', import.meta.url));
/** tsx's ESM loader, resolved from this package (so stages run wherever the pipeline lives). */
function tsxLoader(): string {
  return import.meta.resolve('tsx');
}
/**
 * After SIGTERM, a stage gets this long to stop before SIGKILL.
 * TUNEKIT_STAGE_MEMORY_MB caps each stage process's JS heap (`--max-old-space-size`).
 */
export const KILL_GRACE_MS = 3000;
/** After its process exited without a result, how long to wait for the IPC channel to deliver the last messages. */
const LATE_MESSAGES_MS = 2000;

export type StageOutcome = { ok: true } | { ok: false; error: string; invalidInput?: boolean };

/** What running a stage in a process needs (the cold path here, a warm worker in warm-pool/). */
export interface StageProcessOptions {
  message: RunStageMessage;
  cwd: string;
  log: WriteStream;
  signal: AbortSignal;
  onMessage(message: WorkerMessage): void;
  /** Each complete line the process prints. */
  onOutput?(source: 'stdout' | 'stderr', line: string): void;
}

/** Start a stage worker process (`node --import tsx stage-worker.ts [...args]`) with stdout/stderr piped and IPC. */
export function forkStageWorker(options: { cwd: string; env: NodeJS.ProcessEnv; args?: string[] }): ChildProcess {
  const memoryMb = Number(options.env.TUNEKIT_STAGE_MEMORY_MB);
  return fork(WORKER, options.args ?? [], {
    cwd: options.cwd,
    execArgv: ['--import', tsxLoader(), '--no-warnings=ExperimentalWarning', ...(memoryMb > 0 ? [`--max-old-space-size=${memoryMb}`] : [])],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: options.env,
  });
}

/** The result message of a stage (`done` / `failed`) as an outcome; a failure's stack goes to the log. */
export function resultOf(message: Extract<WorkerMessage, { type: 'done' | 'failed' }>, log: WriteStream): StageOutcome {
  if (message.type === 'done') return { ok: true };
  log.write(`\n${message.stack ?? message.error}\n`);
  return { ok: false, error: message.error, ...(message.invalidInput ? { invalidInput: true } : {}) };
}

/** How a stage ended once its process exited: its own result if it sent one, else why the process died. */
export function exitOutcome(result: StageOutcome | undefined, code: number | null, signal: NodeJS.Signals | null, aborted: boolean): StageOutcome {
  if (aborted) return { ok: false, error: 'interrupted' };
  if (result?.ok && code === 0) return result;
  if (result && !result.ok) return result;
  if (signal) {
    const hint = signal === 'SIGKILL' ? ' (killed; out of memory?)' : signal === 'SIGABRT' ? ' (aborted; out of memory?)' : '';
    return { ok: false, error: `stage process killed by ${signal}${hint}` };
  }
  const hint = code === 134 ? ' (aborted; out of memory?)' : '';
  return { ok: false, error: `stage process exited with code ${code}${hint} before finishing` };
}

/**
 * Call `finish` once a process has exited (`event` 'exit'; 'close': and its stdio streams ended) and
 * its last IPC messages are in. 'exit' can come before the last messages are read (the worker sends
 * 'done', then exits 0): without a result yet, wait for the channel to close (all messages
 * delivered), at most 2 s. Killed processes sent nothing more. Returns a function that stops listening.
 */
export function onExitAfterMessages(
  child: ChildProcess,
  hasResult: () => boolean,
  finish: (code: number | null, signal: NodeJS.Signals | null) => void,
  event: 'exit' | 'close' = 'exit',
): () => void {
  const listener = (code: number | null, signal: NodeJS.Signals | null) => {
    if (hasResult() || !child.connected || signal) return finish(code, signal);
    const late = setTimeout(() => finish(code, signal), LATE_MESSAGES_MS);
    child.once('disconnect', () => {
      clearTimeout(late);
      finish(code, signal);
    });
  };
  child.once(event, listener);
  return () => child.off(event, listener);
}

/** SIGTERM now, SIGKILL after KILL_GRACE_MS; returns a cancel for the SIGKILL timer. */
export function terminate(child: ChildProcess): () => void {
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
  return () => clearTimeout(timer);
}

/**
 * Run one stage in its own, new Node process (the cold path; `--no-warm-workers`): stdout/stderr
 * go to the stage's log file, IPC messages to `onMessage`. A throw, `process.exit(n)`, an OOM abort
 * or a SIGKILL all end here as `{ ok: false }` with a reason; nothing propagates to the runner.
 */
export function runStageProcess(options: StageProcessOptions): Promise<StageOutcome> {
  return new Promise((resolve) => {
    const child = forkStageWorker({ cwd: options.cwd, env: { ...process.env, TUNEKIT_STAGE_ID: options.message.context.stageId } });
    child.stdout!.pipe(options.log, { end: false });
    child.stderr!.pipe(options.log, { end: false });
    if (options.onOutput) {
      forEachLine(child.stdout!, (line) => options.onOutput!('stdout', line));
      forEachLine(child.stderr!, (line) => options.onOutput!('stderr', line));
    }
    let result: StageOutcome | undefined;
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'done' || message.type === 'failed') result = resultOf(message, options.log);
      else if (message.type !== 'ready') options.onMessage(message);
    });
    let cancelKill: (() => void) | undefined;
    const abort = () => {
      cancelKill = terminate(child);
    };
    if (options.signal.aborted) abort();
    else options.signal.addEventListener('abort', abort, { once: true });
    child.on('error', (error) => {
      result ??= { ok: false, error: `cannot start stage process: ${error.message}` };
    });
    onExitAfterMessages(child, () => result !== undefined || options.signal.aborted, (code, signal) => {
      cancelKill?.();
      options.signal.removeEventListener('abort', abort);
      resolve(exitOutcome(result, code, signal, options.signal.aborted));
    });
    child.send(options.message);
  });
}

/** Call `onLine` for every complete line of a stream (the last, unterminated one at its end). */
export function forEachLine(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let rest = '';
  stream.on('data', (chunk: Buffer | string) => {
    const lines = (rest + String(chunk)).split(/\r?\n/);
    rest = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  stream.on('end', () => {
    if (rest) onLine(rest);
  });
}
