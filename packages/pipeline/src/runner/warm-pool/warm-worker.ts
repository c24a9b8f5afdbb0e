/**
 * Parent side of one warm worker: a `stage-worker.ts --warm` process that runs stages one after
 * another. `run` routes the worker's stdout/stderr to the current stage's log (cut at the worker's
 * end-of-stage markers) and its IPC messages to the stage's callbacks, and turns a throw, an exit
 * or a kill into the same outcome the cold path gives. A worker is `reusable` only while its
 * process lives and its last stage left nothing behind.
 */
import type { ChildProcess } from 'node:child_process';
import { exitOutcome, forkStageWorker, onExitAfterMessages, resultOf, terminate, type StageOutcome, type StageProcessOptions } from '../stage-process.ts';
import { END_OF_STAGE_MARKER, type StageAftermath, type WorkerMessage } from '../worker-protocol.ts';
import { LineSplitter } from './line-splitter.ts';
import { OutputCutter } from './output-cutter.ts';

/** After a stage's result arrived, how long to wait for its end-of-stage markers on stdout and stderr. */
const MARKER_WAIT_MS = 2000;

export interface WarmStageResult {
  outcome: StageOutcome;
  /** What the worker reported after the stage (absent when it died or was killed). */
  after?: StageAftermath;
}

interface ActiveStage {
  options: StageProcessOptions;
  result?: StageOutcome;
  after?: StageAftermath;
  markersSeen: number;
  complete(): void;
}

export class WarmWorker {
  readonly child: ChildProcess;
  /** Resolves when the worker is ready for stages; rejects when it dies first. */
  readonly ready: Promise<void>;
  /** Resolves once the process has exited. */
  readonly exited: Promise<void>;
  stagesRun = 0;
  alive = true;
  /** Why this worker takes no more stages (set by the pool or after a stage left something behind). */
  retired: string[] | undefined;
  private active: ActiveStage | undefined;
  private readonly stdout: OutputCutter;
  private readonly stderr: OutputCutter;

  constructor(options: { env: NodeJS.ProcessEnv; cwd: string }) {
    this.child = forkStageWorker({ cwd: options.cwd, env: options.env, args: ['--warm'] });
    const markerSeen = () => {
      if (!this.active) return;
      this.active.markersSeen++;
      this.active.complete();
    };
    this.stdout = new OutputCutter(END_OF_STAGE_MARKER, markerSeen);
    this.stderr = new OutputCutter(END_OF_STAGE_MARKER, markerSeen);
    this.child.stdout!.on('data', (chunk: Buffer) => this.stdout.write(chunk));
    this.child.stderr!.on('data', (chunk: Buffer) => this.stderr.write(chunk));
    this.exited = new Promise((done) => this.child.once('exit', () => done()));
    this.ready = new Promise((resolve, reject) => {
      const onReady = (message: WorkerMessage) => {
        if (message.type !== 'ready') return;
        this.child.off('message', onReady);
        resolve();
      };
      this.child.on('message', onReady);
      this.child.once('error', (error) => reject(new Error(`cannot start stage process: ${error.message}`)));
      this.child.once('exit', (code, signal) => reject(new Error(`stage worker exited while starting (${signal ?? `code ${code}`})`)));
    });
    this.ready.catch(() => undefined);
    this.child.once('exit', () => {
      this.alive = false;
    });
    this.child.stdout!.on('end', () => this.stdout.end());
    this.child.stderr!.on('end', () => this.stderr.end());
    this.child.on('message', (message: WorkerMessage) => this.onMessage(message));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get reusable(): boolean {
    return this.alive && !this.retired && !this.active;
  }

  /** Run one stage (the worker must be ready and idle). `generation` tags the plugin's module instances. */
  run(options: StageProcessOptions, generation: number): Promise<WarmStageResult> {
    return new Promise((resolve) => {
      const lines = {
        stdout: new LineSplitter((line) => options.onOutput?.('stdout', line)),
        stderr: new LineSplitter((line) => options.onOutput?.('stderr', line)),
      };
      this.stdout.sink = (bytes) => {
        options.log.write(bytes);
        lines.stdout.write(bytes);
      };
      this.stderr.sink = (bytes) => {
        options.log.write(bytes);
        lines.stderr.write(bytes);
      };
      let settled = false;
      let markerTimer: NodeJS.Timeout | undefined;
      let cancelKill: (() => void) | undefined;
      const abort = () => {
        cancelKill = terminate(this.child);
      };
      const settle = (result: WarmStageResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(markerTimer);
        cancelKill?.();
        options.signal.removeEventListener('abort', abort);
        stopListening();
        this.stdout.sink = undefined;
        this.stderr.sink = undefined;
        lines.stdout.end();
        lines.stderr.end();
        this.active = undefined;
        this.stagesRun++;
        resolve(result);
      };
      const stage: ActiveStage = {
        options,
        markersSeen: 0,
        complete: () => {
          if (!stage.result || options.signal.aborted) return;
          if (stage.markersSeen >= 2) return settle({ outcome: stage.result, after: stage.after });
          // The result is in but the stage's last output is not: wait a little, then stop trusting this worker's streams.
          markerTimer ??= setTimeout(() => {
            this.retired ??= ['its output did not end where its stage did'];
            settle({ outcome: stage.result!, after: stage.after });
          }, MARKER_WAIT_MS);
        },
      };
      this.active = stage;
      // A worker that dies during its stage: the outcome once its streams have ended (its last output is in the log).
      const onClose = (code: number | null, signal: NodeJS.Signals | null) => settle({ outcome: exitOutcome(stage.result, code, signal, options.signal.aborted) });
      const stopListening = onExitAfterMessages(this.child, () => stage.result !== undefined || options.signal.aborted, onClose, 'close');
      if (options.signal.aborted) abort();
      else options.signal.addEventListener('abort', abort, { once: true });
      // Died between the pool's check and now: its 'close' may already be past, so do not wait for it.
      if (!this.alive || this.child.exitCode !== null || this.child.signalCode !== null) {
        return settle({ outcome: { ok: false, error: 'stage worker exited before the stage started' } });
      }
      // A send that fails (the channel just closed) is followed by the 'close' handled above.
      this.child.send({ ...options.message, warm: { cwd: options.cwd, env: { TUNEKIT_STAGE_ID: options.message.context.stageId }, generation } }, (error) => void error);
    });
  }

  /** End the worker (SIGTERM; SIGKILL after the grace period) and wait for its exit. */
  async stop(): Promise<void> {
    if (this.alive) {
      const cancelKill = terminate(this.child);
      await this.exited;
      cancelKill();
    }
  }

  private onMessage(message: WorkerMessage): void {
    const stage = this.active;
    if (!stage || message.type === 'ready') return;
    if (message.type === 'done' || message.type === 'failed') {
      stage.result = resultOf(message, stage.options.log);
      stage.after = message.after;
      if (message.after && message.after.leftovers.length > 0) this.retired ??= message.after.leftovers;
      if (message.type === 'failed') this.retired ??= ['its stage failed'];
      stage.complete();
    } else stage.options.onMessage(message);
  }
}
