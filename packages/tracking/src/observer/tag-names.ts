/** Tags TuneKit sets (MLflow system tags + its own `tunekit.*` namespace). */
export const MLFLOW_PARENT_RUN_ID = 'mlflow.parentRunId';
export const MLFLOW_RUN_NAME = 'mlflow.runName';
export const MLFLOW_USER = 'mlflow.user';
export const MLFLOW_SOURCE_NAME = 'mlflow.source.name';
export const MLFLOW_SOURCE_TYPE = 'mlflow.source.type';
export const MLFLOW_GIT_COMMIT = 'mlflow.source.git.commit';

export const TUNEKIT_PIPELINE = 'tunekit.pipeline';
export const TUNEKIT_RUN_ID = 'tunekit.run_id';
export const TUNEKIT_STAGE_ID = 'tunekit.stage_id';
export const TUNEKIT_USES = 'tunekit.uses';
export const TUNEKIT_STATUS = 'tunekit.status';
export const TUNEKIT_CACHE = 'tunekit.cache';
export const TUNEKIT_CACHE_KEY = 'tunekit.cache_key';
/** `<tunekit run id>/<stage id>` that produced a cached stage's outputs. */
export const TUNEKIT_CACHE_SOURCE = 'tunekit.cache.source';
/** MLflow run id of the nested run that produced a cached stage's outputs. */
export const TUNEKIT_CACHE_SOURCE_RUN_ID = 'tunekit.cache.source_run_id';
export const TUNEKIT_ERROR = 'tunekit.error';
export const TUNEKIT_SECONDS = 'tunekit.seconds';
export const tunekitOutputTag = (name: string) => `tunekit.output.${name}`;
