/**
 * MLflow entities as TuneKit sees them (field names follow MLflow's REST API 2.0, camel-cased),
 * and the one interface both backends (file store, REST) implement.
 */

export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
export type LifecycleStage = 'active' | 'deleted';

export interface Experiment {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  creationTime?: number;
  lastUpdateTime?: number;
}

export interface RunInfo {
  runId: string;
  experimentId: string;
  runName: string;
  userId: string;
  status: RunStatus;
  startTime: number;
  endTime?: number;
  artifactUri: string;
  lifecycleStage: LifecycleStage;
}

export interface Metric {
  key: string;
  value: number;
  /** Milliseconds since the Unix epoch. */
  timestamp: number;
  step: number;
}

export interface KeyValue {
  key: string;
  value: string;
}

export interface Run {
  info: RunInfo;
  /** Latest value per key (MLflow's rule: highest step, then timestamp, then value). */
  metrics: Metric[];
  params: KeyValue[];
  tags: KeyValue[];
}

export interface CreateRunRequest {
  experimentId: string;
  runName: string;
  startTime: number;
  userId?: string;
  tags?: KeyValue[];
}

export interface UpdateRunRequest {
  status?: RunStatus;
  endTime?: number;
  runName?: string;
}

export interface SearchRunsRequest {
  experimentIds: string[];
  /** MLflow search syntax; both backends support `and`-joined `tags.x = '...'`, `params.x = '...'`, `attributes.status = '...'`, `attributes.run_name = '...'`. */
  filter?: string;
  maxResults?: number;
  pageToken?: string;
}

export interface SearchRunsResponse {
  runs: Run[];
  nextPageToken?: string;
}

export interface LogBatchRequest {
  metrics?: Metric[];
  params?: KeyValue[];
  tags?: KeyValue[];
}

export interface TrackingClient {
  /** The tracking URI this client talks to (`file:///...` or `http(s)://...`). */
  readonly uri: string;
  getExperimentByName(name: string): Promise<Experiment | undefined>;
  createExperiment(name: string): Promise<string>;
  getExperiment(experimentId: string): Promise<Experiment>;
  searchExperiments(): Promise<Experiment[]>;
  createRun(request: CreateRunRequest): Promise<RunInfo>;
  updateRun(runId: string, update: UpdateRunRequest): Promise<void>;
  getRun(runId: string): Promise<Run>;
  searchRuns(request: SearchRunsRequest): Promise<SearchRunsResponse>;
  logBatch(runId: string, batch: LogBatchRequest): Promise<void>;
  logMetric(runId: string, metric: Metric): Promise<void>;
  logParam(runId: string, key: string, value: string): Promise<void>;
  setTag(runId: string, key: string, value: string): Promise<void>;
  getMetricHistory(runId: string, key: string): Promise<Metric[]>;
  /** Copies one local file into the run's artifacts (at `artifactPath/<basename>` or the root). */
  logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void>;
  /** Lists the run's artifact files (relative paths), for checks and tools. */
  listArtifacts(runId: string): Promise<string[]>;
  /** Releases resources (timers, journals). */
  close(): Promise<void>;
}

/** Get the experiment by name, creating it when it does not exist yet. */
export async function getOrCreateExperiment(client: TrackingClient, name: string): Promise<string> {
  const existing = await client.getExperimentByName(name);
  if (existing) return existing.experimentId;
  return client.createExperiment(name);
}

/** Every page of a search, concatenated. */
export async function searchAllRuns(client: TrackingClient, request: SearchRunsRequest): Promise<Run[]> {
  const runs: Run[] = [];
  let pageToken: string | undefined;
  do {
    const page = await client.searchRuns({ ...request, pageToken });
    runs.push(...page.runs);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return runs;
}

export function tagValue(run: Run, key: string): string | undefined {
  return run.tags.find((t) => t.key === key)?.value;
}
