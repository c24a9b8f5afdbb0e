/**
 * MLflow FileStore layout (mlflow/store/tracking/file_store.py), so that
 * `mlflow ui --backend-store-uri ./mlruns` shows what TuneKit logs:
 *
 *   mlruns/
 *     .trash/
 *     0/meta.yaml                      experiment "Default", created with a new store
 *     <experiment_id>/meta.yaml
 *     <experiment_id>/<run_id>/meta.yaml
 *                              metrics/<key>    lines `<timestamp_ms> <value> <step>`
 *                              params/<key>     the value, no trailing newline
 *                              tags/<key>       the value, no trailing newline
 *                              artifacts/
 *   (a key containing `/` becomes nested folders)
 */
import * as fs from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { userInfo } from 'node:os';
import {
  INVALID_PARAMETER_VALUE,
  INVALID_STATE,
  RESOURCE_ALREADY_EXISTS,
  RESOURCE_DOES_NOT_EXIST,
  TrackingError,
} from '../client/errors.ts';
import { parseSearchFilter, runMatches, type Comparison } from '../client/search-filter.ts';
import type {
  CreateRunRequest,
  Experiment,
  KeyValue,
  LogBatchRequest,
  Metric,
  Run,
  RunInfo,
  SearchRunsRequest,
  SearchRunsResponse,
  TrackingClient,
  UpdateRunRequest,
} from '../client/types.ts';
import { keyProblem, validateBatch, validateKey, validateRunId } from '../client/validation.ts';
import { appendLines, listFilesRecursive, readCommittedLines, readTextIfExists, writeFileAtomic } from './atomic-fs.ts';
import { ParsedFileCache } from './parsed-file-cache.ts';
import { experimentMeta, parseExperimentMeta, parseRunMeta, runMeta, stringifyMeta } from './meta-yaml.ts';
import { formatMetricLine, latestMetric, parseMetricLine } from './metric-lines.ts';

const META = 'meta.yaml';
const TRASH = '.trash';
const RESERVED_EXPERIMENT_FOLDERS = new Set(['tags', 'datasets', 'traces']);
export const DEFAULT_EXPERIMENT_ID = '0';
export const DEFAULT_EXPERIMENT_NAME = 'Default';

export interface FileStoreOptions {
  /** fdatasync each appended metric batch (default true). */
  fsyncAppends?: boolean;
  /**
   * fsync each whole-file write (meta.yaml, params, tags) before its rename (default: false, or
   * TUNEKIT_TRACKING_FSYNC=1). Not needed for kill -9 safety; see the README's fsync policy.
   */
  fsyncFiles?: boolean;
}

export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/** MLflow's experiment ids in a file store are random positive integers. */
function newExperimentId(): string {
  const n = randomBytes(8).readBigUInt64BE() & ((1n << 62n) - 1n);
  return (n === 0n ? 1n : n).toString();
}

export class FileStoreClient implements TrackingClient {
  readonly uri: string;
  readonly root: string;
  private readonly fsyncAppends: boolean;
  private readonly fsyncFiles: boolean;
  private readonly runDirs = new Map<string, string>();

  constructor(root: string, options: FileStoreOptions = {}) {
    this.root = root;
    this.uri = pathToFileURL(root).href;
    this.fsyncAppends = options.fsyncAppends ?? true;
    this.fsyncFiles = options.fsyncFiles ?? process.env.TUNEKIT_TRACKING_FSYNC === '1';
    if (!fs.existsSync(root)) this.createDefaultExperiment();
    fs.mkdirSync(join(root, TRASH), { recursive: true });
  }

  private write(path: string, content: string, tempDir?: string): void {
    writeFileAtomic(path, content, tempDir, { fsync: this.fsyncFiles });
  }

  private createDefaultExperiment(): void {
    fs.mkdirSync(this.root, { recursive: true });
    this.writeExperiment(DEFAULT_EXPERIMENT_ID, DEFAULT_EXPERIMENT_NAME);
  }

  private writeExperiment(experimentId: string, name: string): Experiment {
    const now = Date.now();
    const experiment: Experiment = {
      experimentId,
      name,
      artifactLocation: `${this.uri}/${experimentId}`,
      lifecycleStage: 'active',
      creationTime: now,
      lastUpdateTime: now,
    };
    const dir = join(this.root, experimentId);
    fs.mkdirSync(dir, { recursive: true });
    this.write(join(dir, META), stringifyMeta(experimentMeta(experiment)));
    return experiment;
  }

  // ---- experiments -------------------------------------------------------------------------

  private experimentDirs(): string[] {
    return fs
      .readdirSync(this.root, { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name !== TRASH && e.name !== 'models' && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  }

  /** Parsed experiment meta.yaml (every createRun reads it). */
  private readonly experimentCache = new ParsedFileCache<Experiment>();

  private readExperiment(experimentId: string): Experiment | undefined {
    const file = join(this.root, experimentId, META);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return undefined;
    }
    const cached = this.experimentCache.get(file, stat);
    if (cached) return cached;
    const text = readTextIfExists(file);
    if (text === undefined) return undefined;
    const experiment = parseExperimentMeta(text, file);
    this.experimentCache.set(file, experiment, stat);
    return experiment;
  }

  async searchExperiments(): Promise<Experiment[]> {
    return this.experimentDirs()
      .map((id) => this.readExperiment(id))
      .filter((e): e is Experiment => e !== undefined && e.lifecycleStage === 'active');
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    return (await this.searchExperiments()).find((e) => e.name === name);
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    const experiment = /^[\w-]+$/.test(experimentId) ? this.readExperiment(experimentId) : undefined;
    if (!experiment) throw new TrackingError(RESOURCE_DOES_NOT_EXIST, `Could not find experiment with ID ${experimentId}`);
    return experiment;
  }

  async createExperiment(name: string): Promise<string> {
    if (!name) throw new TrackingError(INVALID_PARAMETER_VALUE, `Invalid experiment name: '${name}'`);
    if (await this.getExperimentByName(name)) {
      throw new TrackingError(RESOURCE_ALREADY_EXISTS, `Experiment '${name}' already exists.`);
    }
    let id = newExperimentId();
    while (fs.existsSync(join(this.root, id))) id = newExperimentId();
    return this.writeExperiment(id, name).experimentId;
  }

  // ---- runs --------------------------------------------------------------------------------

  private runDir(runId: string): string {
    validateRunId(runId);
    const cached = this.runDirs.get(runId);
    if (cached) return cached;
    for (const experimentId of this.experimentDirs()) {
      const dir = join(this.root, experimentId, runId);
      if (fs.existsSync(join(dir, META))) {
        this.runDirs.set(runId, dir);
        return dir;
      }
    }
    throw new TrackingError(RESOURCE_DOES_NOT_EXIST, `Run '${runId}' not found`);
  }

  /** Parsed run meta.yaml files. */
  private readonly infoCache = new ParsedFileCache<RunInfo>();

  private readRunInfo(dir: string): RunInfo {
    const file = join(dir, META);
    const stat = fs.statSync(file);
    const cached = this.infoCache.get(file, stat);
    if (cached) return cached;
    const info = parseRunMeta(fs.readFileSync(file, 'utf8'), file);
    this.infoCache.set(file, info, stat);
    return { ...info };
  }

  /** Write a run's meta.yaml and remember what it holds, so this store never re-parses its own writes. */
  private writeRunInfo(dir: string, info: RunInfo, options: { includeDeletedTime: boolean }): void {
    const file = join(dir, META);
    this.write(file, stringifyMeta(runMeta(info, options)));
    this.infoCache.set(file, info);
  }

  private activeRunDir(runId: string): { dir: string; info: RunInfo } {
    const dir = this.runDir(runId);
    const info = this.readRunInfo(dir);
    if (info.lifecycleStage !== 'active') {
      throw new TrackingError(INVALID_STATE, `The run ${runId} must be in the 'active' state. Current state is ${info.lifecycleStage}.`);
    }
    return { dir, info };
  }

  async createRun(request: CreateRunRequest): Promise<RunInfo> {
    const experiment = await this.getExperiment(request.experimentId);
    if (experiment.lifecycleStage !== 'active') {
      throw new TrackingError(INVALID_STATE, `Could not create run under non-active experiment with ID ${request.experimentId}.`);
    }
    const tags = [...(request.tags ?? [])];
    const nameTag = tags.find((t) => t.key === 'mlflow.runName');
    if (nameTag && nameTag.value !== request.runName) {
      throw new TrackingError(
        INVALID_PARAMETER_VALUE,
        `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${request.runName}', mlflow.runName='${nameTag.value}').`,
      );
    }
    if (!nameTag) tags.push({ key: 'mlflow.runName', value: request.runName });
    tags.forEach((t) => validateKey('tag', t.key));
    const runId = randomUUID().replace(/-/g, '');
    const info: RunInfo = {
      runId,
      experimentId: request.experimentId,
      runName: request.runName,
      userId: request.userId ?? currentUser(),
      status: 'RUNNING',
      startTime: request.startTime,
      artifactUri: `${experiment.artifactLocation}/${runId}/artifacts`,
      lifecycleStage: 'active',
    };
    const dir = join(this.root, request.experimentId, runId);
    fs.mkdirSync(dir, { recursive: true });
    this.writeRunInfo(dir, info, { includeDeletedTime: true });
    for (const sub of ['metrics', 'params', 'artifacts']) fs.mkdirSync(join(dir, sub), { recursive: true });
    this.runDirs.set(runId, dir);
    for (const tag of tags) this.write(join(dir, 'tags', tag.key), tag.value, dir);
    return info;
  }

  async updateRun(runId: string, update: UpdateRunRequest): Promise<void> {
    const { dir, info } = this.activeRunDir(runId);
    const next: RunInfo = {
      ...info,
      status: update.status ?? info.status,
      endTime: update.endTime ?? info.endTime,
      runName: update.runName ?? info.runName,
    };
    if (update.runName) this.write(join(dir, 'tags', 'mlflow.runName'), update.runName, dir);
    this.writeRunInfo(dir, next, { includeDeletedTime: false });
  }

  private readKeyValues(dir: string, folder: 'params' | 'tags'): KeyValue[] {
    return listFilesRecursive(join(dir, folder)).map((key) => ({ key, value: fs.readFileSync(join(dir, folder, key), 'utf8') }));
  }

  private readHistory(dir: string, key: string): Metric[] {
    const file = join(dir, 'metrics', key);
    if (!fs.existsSync(file)) return [];
    return readCommittedLines(file).map((line, i) => parseMetricLine(key, line, `${file}:${i + 1}`));
  }

  private readRun(dir: string, info: RunInfo = this.readRunInfo(dir)): Run {
    const metrics = listFilesRecursive(join(dir, 'metrics'))
      .map((key) => latestMetric(this.readHistory(dir, key)))
      .filter((m): m is Metric => m !== undefined);
    const tags = this.readKeyValues(dir, 'tags');
    const runName = info.runName || tags.find((t) => t.key === 'mlflow.runName')?.value || '';
    return { info: { ...info, runName }, metrics, params: this.readKeyValues(dir, 'params'), tags };
  }

  private tagsMatch(dir: string, comparisons: Comparison[]): boolean {
    return comparisons.every((c) => {
      if (keyProblem(c.key)) return false;
      const value = readTextIfExists(join(dir, 'tags', c.key));
      return runMatches({ info: {} as RunInfo, metrics: [], params: [], tags: value === undefined ? [] : [{ key: c.key, value }] }, [c]);
    });
  }

  async getRun(runId: string): Promise<Run> {
    return this.readRun(this.runDir(runId));
  }

  async searchRuns(request: SearchRunsRequest): Promise<SearchRunsResponse> {
    const comparisons = parseSearchFilter(request.filter);
    const tagComparisons = comparisons.filter((c) => c.entity === 'tags');
    const maxResults = request.maxResults ?? 1000;
    const runs: Run[] = [];
    for (const experimentId of request.experimentIds) {
      const experimentDir = join(this.root, experimentId);
      if (!fs.existsSync(experimentDir)) continue;
      for (const entry of fs.readdirSync(experimentDir, { withFileTypes: true })) {
        if (!entry.isDirectory() || RESERVED_EXPERIMENT_FOLDERS.has(entry.name)) continue;
        const dir = join(experimentDir, entry.name);
        // Cheap first pass: only the tag files the filter names (one small read per run).
        if (!this.tagsMatch(dir, tagComparisons)) continue;
        if (!fs.existsSync(join(dir, META))) continue;
        const info = this.readRunInfo(dir);
        if (info.lifecycleStage !== 'active' || info.experimentId !== experimentId) continue;
        const run = this.readRun(dir, info);
        if (runMatches(run, comparisons)) runs.push(run);
      }
    }
    runs.sort((a, b) => b.info.startTime - a.info.startTime || a.info.runId.localeCompare(b.info.runId));
    const offset = request.pageToken ? Number(JSON.parse(Buffer.from(request.pageToken, 'base64').toString()).offset) : 0;
    const page = runs.slice(offset, offset + maxResults);
    const nextOffset = offset + maxResults;
    return {
      runs: page,
      nextPageToken: nextOffset < runs.length ? Buffer.from(JSON.stringify({ offset: nextOffset })).toString('base64') : undefined,
    };
  }

  // ---- logging -----------------------------------------------------------------------------

  async logBatch(runId: string, batch: LogBatchRequest): Promise<void> {
    validateBatch(batch);
    const { dir } = this.activeRunDir(runId);
    // Params are immutable: check every one before writing anything.
    for (const param of batch.params ?? []) {
      const current = readTextIfExists(join(dir, 'params', param.key));
      if (current !== undefined && current !== param.value) {
        throw new TrackingError(
          INVALID_PARAMETER_VALUE,
          `Changing param values is not allowed. Param with key='${param.key}' was already logged with value='${current}' for run ID='${runId}'. Attempted logging new value '${param.value}'.`,
        );
      }
    }
    for (const param of batch.params ?? []) {
      const path = join(dir, 'params', param.key);
      if (readTextIfExists(path) === undefined) this.write(path, param.value, dir);
    }
    const byKey = new Map<string, string[]>();
    for (const metric of batch.metrics ?? []) {
      const lines = byKey.get(metric.key) ?? [];
      lines.push(formatMetricLine(metric));
      byKey.set(metric.key, lines);
    }
    for (const [key, lines] of byKey) appendLines(join(dir, 'metrics', key), lines, { fsync: this.fsyncAppends });
    for (const tag of batch.tags ?? []) {
      const path = join(dir, 'tags', tag.key);
      if (readTextIfExists(path) !== tag.value) this.write(path, tag.value, dir);
      if (tag.key === 'mlflow.runName') await this.updateRun(runId, { runName: tag.value });
    }
  }

  async logMetric(runId: string, metric: Metric): Promise<void> {
    await this.logBatch(runId, { metrics: [metric] });
  }

  async logParam(runId: string, key: string, value: string): Promise<void> {
    await this.logBatch(runId, { params: [{ key, value }] });
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.logBatch(runId, { tags: [{ key, value }] });
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    validateKey('metric', key);
    return this.readHistory(this.runDir(runId), key);
  }

  // ---- artifacts ---------------------------------------------------------------------------

  private artifactRoot(info: RunInfo): string {
    if (!info.artifactUri.startsWith('file:')) {
      throw new TrackingError(INVALID_STATE, `Run ${info.runId} stores artifacts at ${info.artifactUri}, which is not a local path`);
    }
    return fileURLToPath(info.artifactUri);
  }

  async logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void> {
    const { dir, info } = this.activeRunDir(runId);
    if (artifactPath) validateKey('artifact path', artifactPath);
    const target = join(this.artifactRoot(info), artifactPath ?? '', basename(localPath));
    fs.mkdirSync(dirname(target), { recursive: true });
    const temp = join(dir, `.artifact.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    fs.copyFileSync(localPath, temp);
    fs.renameSync(temp, target);
  }

  async listArtifacts(runId: string): Promise<string[]> {
    return listFilesRecursive(this.artifactRoot(this.readRunInfo(this.runDir(runId))));
  }

  async close(): Promise<void> {}
}
