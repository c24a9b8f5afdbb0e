/**
 * The default executor: each stage in its own process on this machine, as the runner always did.
 * A plugin stage runs through a `StageProcessRunner` (a new process per stage, or the warm pool of
 * runner/warm-pool/ when the caller passes one); a `uses: command` stage is spawned by execa.
 * Outputs go to a pending entry in the store and are committed (renamed into place) only when the
 * stage succeeded; a failed or interrupted stage leaves nothing behind. `tunekit worker` runs its
 * jobs through this same class.
 */
import { mkdir, rm } from 'node:fs/promises';
import type { PendingEntry } from '../../cache/store.ts';
import { runCommandStage } from '../../runner/run-command.ts';
import { runStageProcess, type StageOutcome } from '../../runner/stage-process.ts';
import type { Executor, StageMessage, StageTask, TaskResult } from '../executor.ts';

export type StageProcessOptions = Parameters<typeof runStageProcess>[0];

/** Starts a plugin stage's process: `runStageProcess` (cold) or a warm pool (runner/stage-runner.ts). */
export interface StageProcessRunner {
  run(options: StageProcessOptions): Promise<StageOutcome>;
  shutdown(): Promise<void>;
}

export const coldProcessRunner: StageProcessRunner = { run: runStageProcess, shutdown: async () => undefined };

export class LocalExecutor implements Executor {
  readonly name = 'local';

  constructor(private readonly processes: StageProcessRunner = coldProcessRunner) {}

  async run(task: StageTask): Promise<TaskResult> {
    const { stage, store, key } = task;
    const scratchDir = store.scratchDir(key);
    await mkdir(scratchDir, { recursive: true });
    const outputNames = Object.keys(stage.plugin.definition.outputs);
    const pending: Pending = { entry: await store.createPending(key, outputNames), started: performance.now(), deferredArtifacts: [] };
    let committed = false;
    try {
      const outcome = await this.runProcess(task, pending, scratchDir, outputNames);
      if (!outcome.ok) return outcome;
      const entry = await store.commit(pending.entry, {
        key,
        stageId: stage.id,
        runId: task.runId,
        uses: stage.uses,
        createdAt: new Date().toISOString(),
        seconds: Math.round((performance.now() - pending.started) / 10) / 100,
        components: task.components,
      });
      committed = true;
      // Artifacts inside the pending entry are announced once they are at their final path.
      for (const path of pending.deferredArtifacts) task.onMessage({ type: 'artifact', path: entry.dir + path.slice(pending.entry.dir.length) });
      await rm(scratchDir, { recursive: true, force: true });
      return { ok: true, entry };
    } finally {
      if (!committed) await store.discard(pending.entry).catch(() => undefined);
    }
  }

  close(): Promise<void> {
    return this.processes.shutdown();
  }

  private runProcess(task: StageTask, pending: Pending, scratchDir: string, outputNames: string[]): Promise<StageOutcome> {
    const { stage, pipeline } = task;
    const entry = pending.entry;
    if (stage.plugin.kind === 'command') {
      return runCommandStage({
        argv: stage.run ?? [],
        params: stage.params,
        pipelineParams: pipeline.params,
        inputs: task.inputs,
        outputs: Object.fromEntries(outputNames.map((name) => [name, entry.outputDir(name)])),
        seed: stage.seed,
        scratchDir,
        cwd: pipeline.dir,
        log: task.log,
        signal: task.signal,
        onOutput: task.onOutput,
      });
    }
    const outputs = Object.fromEntries(outputNames.map((name) => [name, { dir: entry.outputDir(name) }]));
    return this.processes.run({
      message: {
        type: 'run',
        locator: stage.plugin.locator!,
        context: { stageId: stage.id, params: stage.params, inputs: task.inputs, outputs, seed: stage.seed, pipelineDir: pipeline.dir, workspaceRoot: pipeline.workspaceRoot, scratchDir },
      },
      cwd: pipeline.dir,
      log: task.log,
      signal: task.signal,
      onOutput: task.onOutput,
      // The process runner keeps results (done/failed) to itself: what arrives here is the stage's own.
      onMessage: (received) => {
        const message = received as StageMessage;
        if (message.type === 'artifact' && message.path.startsWith(entry.dir + '/')) pending.deferredArtifacts.push(message.path);
        else task.onMessage(message);
      },
    });
  }
}

interface Pending {
  entry: PendingEntry;
  started: number;
  deferredArtifacts: string[];
}
