/**
 * A subset of MLflow's run search syntax (https://mlflow.org/docs/latest/search-runs.html),
 * evaluated locally by the file store: `and`-joined comparisons whose left side is
 * `tags.<key>`, `params.<key>`, `metrics.<key>` or `attributes.<status|run_name|run_id>`
 * (keys may be quoted with "..." or `...`), compared with `=` / `!=` (and `<`, `<=`, `>`, `>=`
 * for metrics) against a quoted string or a number.
 */
import { INVALID_PARAMETER_VALUE, TrackingError } from './errors.ts';
import type { Run } from './types.ts';

type Entity = 'tags' | 'params' | 'metrics' | 'attributes';
type Comparator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export interface Comparison {
  entity: Entity;
  key: string;
  comparator: Comparator;
  value: string | number;
}

const ENTITY_ALIASES: Record<string, Entity> = {
  tag: 'tags', tags: 'tags', param: 'params', params: 'params', parameter: 'params', parameters: 'params',
  metric: 'metrics', metrics: 'metrics', attribute: 'attributes', attributes: 'attributes', attr: 'attributes', run: 'attributes',
};

const TOKEN = /\s*(?:(and)\b|(!=|<=|>=|=|<|>)|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`([^`]*)`|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|([A-Za-z_][\w]*)|(\.))/iy;

interface Token { kind: 'and' | 'op' | 'string' | 'quoted' | 'number' | 'word' | 'dot'; text: string }

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let index = 0;
  while (index < filter.length) {
    if (/^\s*$/.test(filter.slice(index))) break;
    TOKEN.lastIndex = index;
    const m = TOKEN.exec(filter);
    if (!m) throw filterError(filter, `unexpected text at position ${index}: '${filter.slice(index, index + 20)}'`);
    index = TOKEN.lastIndex;
    if (m[1]) tokens.push({ kind: 'and', text: 'and' });
    else if (m[2]) tokens.push({ kind: 'op', text: m[2] });
    else if (m[3] !== undefined) tokens.push({ kind: 'string', text: m[3].replace(/\\(.)/g, '$1') });
    else if (m[4] !== undefined) tokens.push({ kind: 'quoted', text: m[4].replace(/\\(.)/g, '$1') });
    else if (m[5] !== undefined) tokens.push({ kind: 'quoted', text: m[5] });
    else if (m[6] !== undefined) tokens.push({ kind: 'number', text: m[6] });
    else if (m[7] !== undefined) tokens.push({ kind: 'word', text: m[7] });
    else tokens.push({ kind: 'dot', text: '.' });
  }
  return tokens;
}

function filterError(filter: string, why: string): TrackingError {
  return new TrackingError(INVALID_PARAMETER_VALUE, `Invalid search filter '${filter}': ${why}`);
}

export function parseSearchFilter(filter: string | undefined): Comparison[] {
  if (!filter || filter.trim() === '') return [];
  const tokens = tokenize(filter);
  const comparisons: Comparison[] = [];
  let i = 0;
  const next = (): Token => {
    const t = tokens[i++];
    if (!t) throw filterError(filter, 'unexpected end of filter');
    return t;
  };
  for (;;) {
    const entityToken = next();
    const entity = ENTITY_ALIASES[entityToken.text.toLowerCase()];
    if (entityToken.kind !== 'word' || !entity) {
      throw filterError(filter, `expected tags., params., metrics. or attributes., got '${entityToken.text}'`);
    }
    if (next().kind !== 'dot') throw filterError(filter, `expected '.' after '${entityToken.text}'`);
    // A key is a quoted name or dot-joined words (`tags.mlflow.runName`).
    const keyToken = next();
    let key = keyToken.text;
    if (keyToken.kind === 'word') {
      while (tokens[i]?.kind === 'dot' && tokens[i + 1]?.kind === 'word') {
        key += `.${tokens[i + 1]!.text}`;
        i += 2;
      }
    } else if (keyToken.kind !== 'quoted' && keyToken.kind !== 'string') {
      throw filterError(filter, `expected a key name, got '${keyToken.text}'`);
    }
    const op = next();
    if (op.kind !== 'op') throw filterError(filter, `expected a comparator after '${key}', got '${op.text}'`);
    const valueToken = next();
    if (valueToken.kind !== 'string' && valueToken.kind !== 'number' && valueToken.kind !== 'quoted') {
      throw filterError(filter, `expected a value after '${op.text}', got '${valueToken.text}'`);
    }
    const comparator = op.text as Comparator;
    if (entity !== 'metrics' && comparator !== '=' && comparator !== '!=') {
      throw filterError(filter, `only = and != are supported for ${entity}`);
    }
    const value = valueToken.kind === 'number' ? Number(valueToken.text) : valueToken.text;
    comparisons.push({ entity, key, comparator, value });
    if (i >= tokens.length) break;
    if (next().kind !== 'and') throw filterError(filter, "expected 'and' between comparisons");
  }
  return comparisons;
}

function attribute(run: Run, key: string): string | undefined {
  switch (key) {
    case 'status': return run.info.status;
    case 'run_name': case 'runName': return run.info.runName;
    case 'run_id': case 'runId': return run.info.runId;
    case 'user_id': return run.info.userId;
    default: return undefined;
  }
}

function compare(left: string | number | undefined, comparator: Comparator, right: string | number): boolean {
  if (left === undefined) return false;
  switch (comparator) {
    case '=': return left === right || String(left) === String(right);
    case '!=': return String(left) !== String(right);
    case '<': return Number(left) < Number(right);
    case '<=': return Number(left) <= Number(right);
    case '>': return Number(left) > Number(right);
    case '>=': return Number(left) >= Number(right);
  }
}

export function runMatches(run: Run, comparisons: Comparison[]): boolean {
  return comparisons.every((c) => {
    switch (c.entity) {
      case 'tags': return compare(run.tags.find((t) => t.key === c.key)?.value, c.comparator, c.value);
      case 'params': return compare(run.params.find((p) => p.key === c.key)?.value, c.comparator, c.value);
      case 'metrics': return compare(run.metrics.find((m) => m.key === c.key)?.value, c.comparator, c.value);
      case 'attributes': return compare(attribute(run, c.key), c.comparator, c.value);
    }
  });
}

/** Quotes a string for use on the right side of a filter. */
export function quoteFilterValue(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
