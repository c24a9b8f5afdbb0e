/**
 * The offline journal: an append-only JSON-lines file per buffered client, under the buffer
 * directory. Line kinds:
 *   {"journal":1,"uri":"http://...","pid":123,"createdAt":...}   header (first line)
 *   {"op":{...}}                one operation that could not be delivered, with a unique id
 *   {"ack":"<op id>"}           the operation was delivered (written by sync)
 *   {"map":"local-...","to":"<server id>"}   a locally made id now has a server id
 * Every line is appended with a single write + fdatasync (the journal may be the only copy).
 * A torn last line (crash mid-append) is ignored, exactly like metric files.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { appendLines, readCommittedLines } from '../file-store/atomic-fs.ts';
import type { CreateRunRequest, LogBatchRequest, UpdateRunRequest } from '../client/types.ts';

export type JournalOp =
  | { id: string; type: 'createExperiment'; localExperimentId: string; name: string }
  | { id: string; type: 'createRun'; localRunId: string; request: CreateRunRequest }
  | { id: string; type: 'updateRun'; runId: string; update: UpdateRunRequest }
  | { id: string; type: 'logBatch'; runId: string; batch: LogBatchRequest }
  | { id: string; type: 'logArtifact'; runId: string; file: string; artifactPath?: string };

export type JournalLine =
  | { journal: 1; uri: string; pid: number; createdAt: number }
  | { op: JournalOp }
  | { ack: string }
  | { map: string; to: string };

export interface JournalState {
  uri: string;
  ops: JournalOp[];
  acked: Set<string>;
  ids: Map<string, string>;
}

/** NaN/±Infinity survive the JSON round trip as tagged strings. */
function encode(line: JournalLine): string {
  return JSON.stringify(line, (_k, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? `__num:${String(v)}` : v,
  );
}

function decode(text: string): JournalLine {
  return JSON.parse(text, (_k, v: unknown) =>
    typeof v === 'string' && v.startsWith('__num:') ? Number(v.slice(6)) : v,
  ) as JournalLine;
}

export function newJournalPath(bufferDir: string): string {
  return join(bufferDir, `${Date.now()}-${process.pid}-${randomBytes(3).toString('hex')}.jsonl`);
}

export class Journal {
  readonly path: string;
  private started = false;

  constructor(path: string, private readonly uri: string) {
    this.path = path;
  }

  /** Directory for copies of artifact files journaled while offline. */
  get filesDir(): string {
    return `${this.path.replace(/\.jsonl$/, '')}.files`;
  }

  append(line: JournalLine): void {
    if (!this.started && !fs.existsSync(this.path)) {
      appendLines(this.path, [encode({ journal: 1, uri: this.uri, pid: process.pid, createdAt: Date.now() })]);
      fs.writeFileSync(`${this.path}.lock`, String(process.pid));
    }
    this.started = true;
    appendLines(this.path, [encode(line)]);
  }

  /** The writer is done with this journal: sync may now take it. */
  release(): void {
    fs.rmSync(`${this.path}.lock`, { force: true });
  }
}

export function readJournal(path: string): JournalState {
  const lines = readCommittedLines(path);
  const state: JournalState = { uri: '', ops: [], acked: new Set(), ids: new Map() };
  lines.forEach((text, i) => {
    let line: JournalLine;
    try {
      line = decode(text);
    } catch {
      throw new Error(`${path}:${i + 1}: not a JSON journal line`);
    }
    if ('journal' in line) state.uri = line.uri;
    else if ('op' in line) state.ops.push(line.op);
    else if ('ack' in line) state.acked.add(line.ack);
    else if ('map' in line) state.ids.set(line.map, line.to);
  });
  if (!state.uri) throw new Error(`${path}: missing journal header`);
  return state;
}

export function appendJournalLine(path: string, line: JournalLine): void {
  appendLines(path, [encode(line)]);
}

/** Journals in the buffer directory, oldest first. */
export function listJournals(bufferDir: string): string[] {
  if (!fs.existsSync(bufferDir)) return [];
  return fs
    .readdirSync(bufferDir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => join(bufferDir, f));
}

/** A journal whose writer process is still alive must not be synced. */
export function writerAlive(path: string): boolean {
  const lock = `${path}.lock`;
  if (!fs.existsSync(lock)) return false;
  const pid = Number(fs.readFileSync(lock, 'utf8'));
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
