import { relative, isAbsolute } from 'node:path';
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { PipelineError, type PipelineIssue } from './pipeline-error.ts';

export type YamlPath = readonly (string | number)[];

/**
 * A parsed YAML file that remembers where every value came from, so that any later error
 * (schema, params, graph) can name `file:line:col`.
 */
export interface YamlSource {
  /** File name as shown in messages (relative to the working directory when inside it). */
  displayName: string;
  document: Document;
  /** `file:line:col` of the value at `path` (or of its key with `{ key: true }`); the nearest existing ancestor otherwise. */
  locate(path: YamlPath, options?: { key?: boolean }): string;
  /** Paths set by `--set`: errors under them are reported as `--set <expr>`. */
  overridden: Map<string, string>;
}

export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  const displayName = displayPath(file);
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${displayName}:${line}:${col}`;
  };
  const problems = [...document.errors];
  if (problems.length > 0) {
    throw new PipelineError(
      problems.map((error) => ({
        location: at(error.pos[0]),
        message: `invalid YAML: ${error.message.split('\n')[0]}`,
      })),
    );
  }
  const overridden = new Map<string, string>();
  const locate = (path: YamlPath, options: { key?: boolean } = {}): string => {
    for (let n = path.length; n >= 0; n--) {
      const hit = overridden.get(path.slice(0, n).join('.'));
      if (hit) return `--set ${hit}`;
    }
    let node: unknown = document.contents;
    let best: unknown = node;
    for (const segment of path) {
      const found = child(node, segment);
      if (!found) break;
      node = found.value;
      best = options.key && segment === path[path.length - 1] ? (found.key ?? found.value) : (found.value ?? found.key);
      if (!node) break;
    }
    const range = (best as Node | undefined)?.range;
    return range ? at(range[0]) : `${displayName}:1:1`;
  };
  return { displayName, document, locate, overridden };
}

function child(node: unknown, segment: string | number): { key?: unknown; value?: unknown } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (String(key) === String(segment)) return { key: pair.key, value: pair.value };
    }
    return undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? undefined : { value: item };
  }
  return undefined;
}

export function issueAt(source: YamlSource, path: YamlPath, message: string, options?: { key?: boolean }): PipelineIssue {
  return { location: source.locate(path, options), message };
}
