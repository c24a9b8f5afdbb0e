/**
 * `@tunekit/pipeline`: the light part every stage plugin imports (defineStage, manifests, run
 * event types, workspace root). It loads in a few milliseconds — stage processes import it.
 * The engine itself (loading, running, the store, records) is `@tunekit/pipeline/engine`.
 */
export * from './sdk/index.ts';
export { findWorkspaceRoot } from './spec/workspace-root.ts';
export { PipelineError, isPipelineError, isUserError, type PipelineIssue } from './spec/pipeline-error.ts';
export type { PipelineDocument, StageDocument, StageInstance, InstanceInput } from './spec/types.ts';
