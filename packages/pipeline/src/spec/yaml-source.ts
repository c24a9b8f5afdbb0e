import { relative, isAbsolute } from 'node:path';
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Document, type Node } from 'yaml';
import { DEFAULT_LIMITS, LIMIT_ENV, type Limits } from './limits.ts';
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
  /** `file:line:col` of a character offset in the text. */
  locateOffset(offset: number): string;
  /** Paths set by `--set`: errors under them are reported as `--set <expr>`. */
  overridden: Map<string, string>;
}

export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/**
 * Parse pipeline YAML, refusing what would make later steps blow up (every problem a PipelineError
 * at `file:line:col`): nesting deeper than `limits.yamlDepth` (checked on the text, before the
 * parser recurses), syntax errors, aliases without an anchor, aliases inside the node they name
 * (`a: &x { <<: *x }`: an infinite structure), and merge keys (`<<`) whose value is not a mapping.
 */
/** Syntax errors listed at most (a broken file can have thousands, one per token). */
const MAX_SYNTAX_ISSUES = 10;

export function parseYamlSource(file: string, text: string, limits: Pick<Limits, 'yamlDepth'> = DEFAULT_LIMITS): YamlSource {
  const lineCounter = new LineCounter();
  const displayName = displayPath(file);
  const deep = depthExceededAt(text, limits.yamlDepth);
  if (deep !== undefined) {
    const { line, col } = lineOf(text, deep);
    throw new PipelineError({ location: `${displayName}:${line}:${col}`, message: `YAML nested more than ${limits.yamlDepth} levels deep (limit ${LIMIT_ENV.yamlDepth})` });
  }
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${displayName}:${line}:${col}`;
  };
  const problems = [...document.errors];
  if (problems.length > 0) {
    const shown: PipelineIssue[] = problems.slice(0, MAX_SYNTAX_ISSUES).map((error) => ({
      location: at(error.pos[0]),
      message: `invalid YAML: ${error.message.split('\n')[0]}`,
    }));
    if (problems.length > MAX_SYNTAX_ISSUES) shown.push({ location: displayName, message: `... and ${problems.length - MAX_SYNTAX_ISSUES} more YAML errors` });
    throw new PipelineError(shown);
  }
  const aliasIssues = checkAliases(document, at);
  if (aliasIssues.length > 0) throw new PipelineError(aliasIssues);
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
  return { displayName, document, locate, locateOffset: at, overridden };
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

/**
 * The document as plain data, with alias expansion bounded by `limits.yamlAliases` (yaml's
 * `maxAliasCount`: a "billion laughs" document is refused instead of expanded).
 */
export function yamlToData(source: YamlSource, limits: Pick<Limits, 'yamlAliases'> = DEFAULT_LIMITS): unknown {
  try {
    return source.document.toJS({ maxAliasCount: limits.yamlAliases });
  } catch (error) {
    let first: Node | undefined;
    visit(source.document, {
      Alias(_, node) {
        first = node as unknown as Node;
        return visit.BREAK;
      },
    });
    const location = first?.range ? source.locateOffset(first.range[0]) : `${source.displayName}:1:1`;
    const message = /excessive alias count/i.test((error as Error).message)
      ? `YAML aliases expand to too many nodes (more than ${limits.yamlAliases}: limit ${LIMIT_ENV.yamlAliases})`
      : `invalid YAML: ${(error as Error).message.split('\n')[0]}`;
    throw new PipelineError({ location, message });
  }
}

/** Undefined aliases, aliases inside the node they refer to, merge keys whose value is not a mapping. */
function checkAliases(document: Document, at: (offset: number) => string): PipelineIssue[] {
  const issues: PipelineIssue[] = [];
  const where = (node: unknown) => at((node as Node).range?.[0] ?? 0);
  visit(document, {
    Alias(_, node, path) {
      const target = node.resolve(document);
      if (!target) issues.push({ location: where(node), message: `undefined YAML alias *${node.source} (no anchor &${node.source} before it)` });
      else if (path.includes(target as never)) issues.push({ location: where(node), message: `YAML alias *${node.source} is inside the node it refers to (an infinite structure)` });
    },
    Pair(_, pair) {
      // With `merge: true` the yaml library gives a merge key the value Symbol(<<).
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (!(key === '<<' || (typeof key === 'symbol' && key.description === '<<'))) return;
      const isMapLike = (value: unknown) => isMap(value) || (isAlias(value) && isMap(value.resolve(document)));
      const value = pair.value;
      const ok = isMapLike(value) || (isSeq(value) && value.items.every(isMapLike));
      if (!ok) issues.push({ location: where(value ?? pair.key), message: 'a merge key (<<) takes a mapping, an alias of one, or a list of them' });
    },
  });
  return issues;
}

/**
 * Offset where the text nests deeper than `max` (block indentation levels, `- ` sequence entries
 * on one line, and flow brackets outside quoted scalars and comments), or undefined. A cheap scan
 * of the text, so that a 3,000-level document never reaches the parser's recursion.
 */
export function depthExceededAt(text: string, max: number): number | undefined {
  const indents: number[] = [];
  let flow = 0;
  let offset = 0;
  for (const line of text.split('\n')) {
    const start = offset;
    offset += line.length + 1;
    let i = 0;
    while (line[i] === ' ') i++;
    if (flow === 0) {
      if (i >= line.length || line[i] === '#' || line[i] === '\r') continue;
      while (indents.length > 0 && indents[indents.length - 1]! >= i) indents.pop();
      indents.push(i);
      let j = i;
      let entries = 0;
      while (line[j] === '-' && (line[j + 1] === ' ' || j + 1 === line.length)) {
        entries++;
        j += 2;
        while (line[j] === ' ') j++;
      }
      if (indents.length + entries > max) return start + i;
    }
    let quote: string | undefined;
    let previous = ' ';
    for (let k = i; k < line.length; k++) {
      const char = line[k]!;
      if (quote) {
        if (char === '\\' && quote === '"') k++;
        else if (char === quote && !(quote === "'" && line[k + 1] === "'")) quote = undefined;
        else if (char === quote) k++;
        continue;
      }
      const atScalarStart = ' \t:,[{-?'.includes(previous);
      if ((char === '"' || char === "'") && atScalarStart) quote = char;
      else if (char === '#' && (previous === ' ' || previous === '\t')) break;
      else if ((char === '[' || char === '{') && (atScalarStart || flow > 0)) {
        flow++;
        if (indents.length + flow > max) return start + k;
      } else if ((char === ']' || char === '}') && flow > 0) flow--;
      previous = char;
    }
  }
  return undefined;
}

function lineOf(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1 };
}
