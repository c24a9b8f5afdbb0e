import { fork } from 'node:child_process';
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
const KILL_GRACE_MS = 3000;

export type StageOutcome = { ok: true } | { ok: false; error: string; invalidInput?: boolean };

/**
 * Run one stage in its own Node process (`node --import tsx stage-worker.ts`): stdout/stderr go
 * to the stage's log file, IPC messages to `onMessage`. A throw, `process.exit(n)`, an OOM abort
 * or a SIGKILL all end here as `{ ok: false }` with a reason; nothing propagates to the runner.
 */
export function runStageProcess(options: {
  message: RunStageMessage;
  cwd: string;
  log: WriteStream;
  signal: AbortSignal;
  onMessage(message: WorkerMessage): void;
  /** Each complete line the process prints. */
  onOutput?(source: 'stdout' | 'stderr', line: string): void;
}): Promise<StageOutcome> {
  return new Promise((resolve) => {
    const memoryMb = Number(process.env.TUNEKIT_STAGE_MEMORY_MB);
    const child = fork(WORKER, [], {
      cwd: options.cwd,
      execArgv: ['--import', tsxLoader(), '--no-warnings=ExperimentalWarning', ...(memoryMb > 0 ? [`--max-old-space-size=${memoryMb}`] : [])],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, TUNEKIT_STAGE_ID: options.message.context.stageId },
    });
    child.stdout!.pipe(options.log, { end: false });
    child.stderr!.pipe(options.log, { end: false });
    if (options.onOutput) {
      forEachLine(child.stdout!, (line) => options.onOutput!('stdout', line));
      forEachLine(child.stderr!, (line) => options.onOutput!('stderr', line));
    }
    let result: StageOutcome | undefined;
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'done') result = { ok: true };
      else if (message.type === 'failed') {
        result = { ok: false, error: message.error, ...(message.invalidInput ? { invalidInput: true } : {}) };
        options.log.write(`\n${message.stack ?? message.error}\n`);
      } else options.onMessage(message);
    });
    let killTimer: NodeJS.Timeout | undefined;
    const abort = () => {
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    };
    if (options.signal.aborted) abort();
    else options.signal.addEventListener('abort', abort, { once: true });
    child.on('error', (error) => {
      result ??= { ok: false, error: `cannot start stage process: ${error.message}` };
    });
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(killTimer);
      options.signal.removeEventListener('abort', abort);
      if (options.signal.aborted) return resolve({ ok: false, error: 'interrupted' });
      if (result?.ok && code === 0) return resolve(result);
      if (result && !result.ok) return resolve(result);
      if (signal) {
        const hint = signal === 'SIGKILL' ? ' (killed; out of memory?)' : signal === 'SIGABRT' ? ' (aborted; out of memory?)' : '';
        return resolve({ ok: false, error: `stage process killed by ${signal}${hint}` });
      }
      const hint = code === 134 ? ' (aborted; out of memory?)' : '';
      resolve({ ok: false, error: `stage process exited with code ${code}${hint} before finishing` });
    };
    child.on('exit', (code, signal) => {
      // 'exit' can come before the last IPC messages are read (the worker sends 'done', then exits
      // 0): without a result yet, wait for the channel to close (all messages delivered), at most 2 s.
      // Interrupted or killed processes sent nothing more: finish at once.
      if (result || !child.connected || signal || options.signal.aborted) return finish(code, signal);
      const late = setTimeout(() => finish(code, signal), 2000);
      child.once('disconnect', () => {
        clearTimeout(late);
        finish(code, signal);
      });
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
