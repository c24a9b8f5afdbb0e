/**
 * Entry point of a stage's child process (`node --import tsx stage-worker.ts`). Receives one
 * `run` message over IPC, imports the plugin, runs it, reports logs/metrics/progress back and
 * exits. Whatever happens here (throw, exit, OOM, SIGKILL) fails only this stage.
 */
import { isAbsolute, resolve } from 'node:path';
import { importPluginModule } from '../plugins/import-module.ts';
import type { StageContext, StageDefinition } from '../sdk/define-stage.ts';
import { isStageInputError } from '../sdk/input-error.ts';
import { throttleProgress } from './progress-throttle.ts';
import type { RunStageMessage, WorkerMessage } from './worker-protocol.ts';

function send(message: WorkerMessage): Promise<void> {
  return new Promise((done) => {
    if (!process.send || !process.connected) return done();
    process.send(message, undefined, undefined, () => done());
  });
}

/** At most this many progress messages per second reach the runner (the first and the last always do). */
const PROGRESS_PER_SECOND = 4;
const progress = throttleProgress<Extract<WorkerMessage, { type: 'progress' }>>((message) => void send(message), 1000 / PROGRESS_PER_SECOND);

const controller = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    controller.abort(new Error(`stage interrupted (${signal})`));
    setTimeout(() => process.exit(130), 2000).unref();
  });
}

async function runStage(message: RunStageMessage): Promise<void> {
  const { locator, context } = message;
  const module = await importPluginModule(locator.specifier, locator.parentURL);
  const stages = Array.isArray(module.stages) ? (module.stages as StageDefinition[]) : [];
  const definition = locator.stageId === 'default' ? (module.default as StageDefinition) : stages.find((stage) => stage.id === locator.stageId) ?? (module.default as StageDefinition);
  if (!definition || typeof definition.run !== 'function') throw new Error(`${locator.specifier}: stage "${locator.stageId}" not found`);
  const ctx: StageContext = {
    ...context,
    signal: controller.signal,
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

process.once('message', (message: RunStageMessage) => {
  runStage(message).then(
    async () => {
      progress.flush();
      await send({ type: 'done' });
      process.exit(0);
    },
    async (error: unknown) => {
      const err = error instanceof Error ? error : new Error(String(error));
      await send({ type: 'failed', error: err.message, stack: err.stack, invalidInput: isStageInputError(error) });
      process.exit(1);
    },
  );
});
