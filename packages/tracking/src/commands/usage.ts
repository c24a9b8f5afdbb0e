/** Help texts (a light module: the CLI shows them without loading the tracking clients). */
export const RUNS_USAGE = `Usage: tunekit tracking runs [--experiment NAME] [--limit N] [--uri URI]
  Lists pipeline runs (MLflow parent runs) and their stages (nested runs) with final metrics.
  --experiment  only this experiment (default: all)
  --limit       pipeline runs per experiment, newest first (default 10)
  --uri         tracking URI (default: MLFLOW_TRACKING_URI, else file:<workspace>/mlruns)`;

export const SYNC_USAGE = `Usage: tunekit tracking sync [--buffer-dir DIR]
  Delivers what was logged while the MLflow server was unreachable (journals under
  $TUNEKIT_HOME/tracking-buffer, default .tunekit/tracking-buffer). Each operation is delivered
  once; an interrupted sync can simply be run again.`;

export const TRACKING_USAGE = `Usage: tunekit tracking <runs|sync> [options]
  runs   list pipeline runs and their stage runs (MLflow) with final metrics
  sync   deliver operations buffered while the MLflow server was unreachable

${RUNS_USAGE}

${SYNC_USAGE}`;

export const COMPARE_USAGE = `Usage: tunekit compare <run> <run> ... [--experiment NAME] [--uri URI]
  Shows params and final metrics of MLflow runs side by side (rows that differ are marked *).
  <run> is an MLflow run id, a run name (e.g. a stage id: 'train[strategy=lora]', newest match),
  or a TuneKit run id (its pipeline run). Reads the file store or the MLflow server
  (MLFLOW_TRACKING_URI, else file:<workspace>/mlruns, or --uri).`;
