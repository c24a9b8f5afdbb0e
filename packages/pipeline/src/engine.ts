/**
 * `@tunekit/pipeline/engine`: load, validate and run pipelines; the store; run records.
 * Heavier than the SDK (yaml, ajv, execa, locks): import it from tools, not from stage plugins.
 */
export * from './index.ts';
export { loadPipeline, resolvePipelineFile, type LoadedPipeline, type PlannedStage, type LoadOptions } from './spec/load-pipeline.ts';
export { renderGraph, type GraphFormat } from './graph/render-graph.ts';
export { hashArtifact, hashFile } from './cache/digest.ts';
export { cacheKey, type CacheKeyComponents } from './cache/cache-key.ts';
export { canonicalJson } from './cache/canonical-json.ts';
export type { Store, StoreEntry, EntryMeta, PendingEntry } from './cache/store.ts';
export { FsStore } from './cache/stores/fs/fs-store.ts';
export { openStore, storeLocation, isRemoteLocation, type OpenStoreOptions } from './cache/open-store.ts';
export { StoreError } from './cache/store-error.ts';
export type { Executor, StageTask, TaskResult } from './executors/executor.ts';
export { LocalExecutor } from './executors/local/local-executor.ts';
export { ExecutorError } from './executors/executor-error.ts';
export { executorChoice, openExecutor } from './executors/open-executor.ts';
export { runPipeline, type RunOptions, type RunResult, type StageResult } from './runner/run-pipeline.ts';
export { consoleProgress } from './runner/console-progress.ts';
export { taskProgress, type TaskProgress } from './runner/task-progress.ts';
export { readRunRecord, listRunRecords, type RunRecord, type StageRecord } from './records/run-record.ts';
export { readLastKey, type LastKey } from './records/last-keys.ts';
export { pipelineStatus, type StageCacheStatus } from './runner/pipeline-status.ts';
export { diffKeyComponents, keyPathText, type KeyChange } from './cache/key-diff.ts';
