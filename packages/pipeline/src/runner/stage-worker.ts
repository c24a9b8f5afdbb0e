/**
 * Entry point of a stage's child process (`node --import tsx stage-worker.ts [--warm]`).
 *
 * Cold (no flag): receives one `run` message over IPC, imports the plugin, runs it, reports
 * logs/metrics/progress back and exits. Warm (`--warm`, started by runner/warm-pool/): says
 * `ready`, then runs one stage per `run` message, each in the environment, working directory and
 * module generation the message names, restoring the worker's start-up state in between and
 * reporting what it could not restore (then it exits and the pool replaces it).
 * Whatever happens here (throw, exit, OOM, SIGKILL) fails only the stage being run.
 */
import { writeSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { importPluginModule } from '../plugins/import-module.ts';
import type { StageContext, StageDefinition } from '../sdk/define-stage.ts';
import { isStageInputError } from '../sdk/input-error.ts';
import { throttleProgress, type ThrottledProgress } from './progress-throttle.ts';
import { END_OF_STAGE_MARKER, type RunStageMessage, type StageAftermath, type WorkerMessage } from './worker-protocol.ts';
import { enableFreshModules, withGeneration } from './warm-pool/fresh-modules.ts';
import { leftovers, restoreBaseline, takeBaseline, type WorkerBaseline } from './warm-pool/worker-baseline.ts';

type ProgressMessage = Extract<WorkerMessage, { type: 'progress' }>;

function send(message: WorkerMessage): Promise<void> {
  return new Promise((done) => {
    if (!process.send || !process.connected) return done();
    process.send(message, undefined, undefined, () => done());
  });
}

/** At most this many progress messages per second reach the runner (the first and the last always do). */
const PROGRESS_PER_SECOND = 4;
/** After SIGTERM/SIGINT (or the runner going away), a running stage gets this long to stop. */
const STOP_GRACE_MS = 2000;

const warm = process.argv.includes('--warm');
if (warm) process.argv.splice(process.argv.indexOf('--warm'), 1);

/** The stage being run: its abort controller (ctx.signal). */
let running: AbortController | undefined;

function stop(reason: string): void {
  if (!running) process.exit(130);
  running.abort(new Error(`stage interrupted (${reason})`));
  setTimeout(() => process.exit(130), STOP_GRACE_MS).unref();
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => stop(signal));

async function runStage(message: RunStageMessage, signal: AbortSignal, progress: ThrottledProgress<ProgressMessage>): Promise<void> {
  const { locator, context } = message;
  const tag = message.warm ? (url: string) => withGeneration(url, message.warm!.generation) : undefined;
  const module = await importPluginModule(locator.specifier, locator.parentURL, tag);
  const stages = Array.isArray(module.stages) ? (module.stages as StageDefinition[]) : [];
  const definition = locator.stageId === 'default' ? (module.default as StageDefinition) : stages.find((stage) => stage.id === locator.stageId) ?? (module.default as StageDefinition);
  if (!definition || typeof definition.run !== 'function') throw new Error(`${locator.specifier}: stage "${locator.stageId}" not found`);
  const ctx: StageContext = {
    ...context,
    signal,
    log: {
      info: (text) => void send({ type: 'log', level: 'info', message: String(text) }),
      warn: (text) => void send({ type: 'log', level: 'warn', message: String(text) }),
      metric: (key, value, step = 0) => void send({ type: 'metric', key, value, step, timestamp: Date.now() }),
      metrics: (values, step = 0) => {
        const timestamp = Date.now();
        for (const [key, value] of Object.entries(values)) void send({ type: 'metric', key, value, step, timestamp });
      },
      tag: (key, value) => void send({ type: 'tag', key, value: String(value) }),
      artifact: (path) => void send({ type: 'artifact', path: isAbsolute(path) ? path : resolve(context.pipelineDir, path) }),
    },
    progress: {
      update: (done, total, detail) => progress.update({ type: 'progress', done, total, ...(typeof detail === 'string' ? { message: detail } : detail) }),
    },
  };
  await definition.run(ctx);
}

function failure(error: unknown): Extract<WorkerMessage, { type: 'failed' }> {
  const err = error instanceof Error ? error : new Error(String(error));
  return { type: 'failed', error: err.message, stack: err.stack, invalidInput: isStageInputError(error) };
}

// ---- cold: one stage, then exit --------------------------------------------------------------

function serveOnce(): void {
  process.once('message', (message: RunStageMessage) => {
    running = new AbortController();
    const progress = throttleProgress<ProgressMessage>((update) => void send(update), 1000 / PROGRESS_PER_SECOND);
    runStage(message, running.signal, progress).then(
      async () => {
        progress.flush();
        await send({ type: 'done' });
        process.exit(0);
      },
      async (error: unknown) => {
        await send(failure(error));
        process.exit(1);
      },
    );
  });
}

// ---- warm: stage after stage ----------------------------------------------------------------

/** Write the end-of-stage marker straight to fd 1 and 2 (after everything the stage printed). */
function markEndOfStage(): void {
  for (const fd of [1, 2]) {
    const bytes = Buffer.from(END_OF_STAGE_MARKER);
    for (let written = 0; written < bytes.length; ) {
      try {
        written += writeSync(fd, bytes, written);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      }
    }
  }
}

function serveWarm(): void {
  let baseline: WorkerBaseline;
  /** A stage that failed outside its own promise (an uncaught exception or unhandled rejection): report it, exit. */
  const crash = async (error: unknown) => {
    if (!running) process.exit(1);
    markEndOfStage();
    await send({ ...failure(error), after: { leftovers: ['the stage threw outside its promise'], rssMb: rssMb() } });
    process.exit(1);
  };
  process.on('uncaughtException', (error) => void crash(error));
  process.on('unhandledRejection', (reason) => void crash(reason));
  // The runner went away (killed, crashed): nobody will send work or read results.
  process.on('disconnect', () => stop('runner disconnected'));
  enableFreshModules();

  process.on('message', async (message: RunStageMessage) => {
    if (message.type !== 'run' || !message.warm || running) return;
    running = new AbortController();
    const progress = throttleProgress<ProgressMessage>((update) => void send(update), 1000 / PROGRESS_PER_SECOND);
    let result: WorkerMessage;
    try {
      restoreBaseline(baseline, message.warm.cwd, message.warm.env);
      await runStage(message, running.signal, progress);
      result = { type: 'done' };
    } catch (error) {
      result = failure(error);
    }
    progress.flush();
    restoreBaseline(baseline);
    // Let handles the stage closed finish closing before they are counted.
    await new Promise((done) => setImmediate(done));
    const after: StageAftermath = { leftovers: leftovers(baseline), rssMb: rssMb() };
    running = undefined;
    markEndOfStage();
    await send({ ...result, after });
    if (result.type === 'failed') process.exit(1);
    if (after.leftovers.length > 0) process.exit(0);
  });
  // The baseline is the idle worker: after start-up, before any stage.
  setImmediate(() => {
    baseline = takeBaseline();
    void send({ type: 'ready', pid: process.pid });
  });
}

function rssMb(): number {
  return Math.round(process.memoryUsage.rss() / 2 ** 20);
}

if (warm) serveWarm();
else serveOnce();
