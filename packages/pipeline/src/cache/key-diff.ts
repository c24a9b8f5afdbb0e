/**
 * What changed between two cache keys: a deep diff of their components (`CacheKeyComponents`, or
 * any plain JSON object), named by path (`params.learning_rate`, `fingerprint.gemm`,
 * `code.files["plugins/helper.ts"]`), and one short human line for it. Generic over the component
 * object, so a component added later (new code hashes, new fingerprint fields) is reported with no
 * change here.
 */

export type KeyPath = (string | number)[];

export interface KeyChange {
  path: KeyPath;
  /** `undefined` when the part was added. */
  before?: unknown;
  /** `undefined` when the part was removed. */
  after?: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Every leaf that differs, in key order (arrays of equal length element by element, else whole). */
export function diffKeyComponents(before: unknown, after: unknown, path: KeyPath = []): KeyChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffKeyComponents(before[key], after[key], [...path, key]));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((item, i) => diffKeyComponents(item, after[i], [...path, i]));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) }];
}

/** `params.learning_rate`, `inputs.training[0].digest`, `code.files["plugins/helper.ts"]`. */
export function keyPathText(path: KeyPath): string {
  return path
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (/^[A-Za-z_$][\w$-]*$/.test(segment)) return i === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join('');
}

/** How each top-level component is named in a reason line; others go by their own name. */
const LABELS: Record<string, string> = {
  params: 'param',
  paramFiles: 'file param',
  inputs: 'input',
  fingerprint: 'runtime',
  plugin: 'code',
  stageVersion: 'stage version',
  stage: 'stage id',
  format: 'key format',
};

/** Components whose values are digests: a change says "changed" and is reported once per name. */
const DIGEST_COMPONENTS = new Set(['inputs', 'paramFiles']);

const isDigest = (value: unknown) => typeof value === 'string' && /^(sha256:)?[0-9a-f]{40,}$/.test(value);

/** Shown in "added" / "removed": scalars only (a whole added object would be noise). */
const shownValue = (value: unknown) => !isDigest(value) && (value === null || typeof value !== 'object');

function valueText(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function describe(change: KeyChange, before: Record<string, unknown>, after: Record<string, unknown>): string {
  const [top, ...rest] = change.path;
  const component = String(top);
  let label = LABELS[component] ?? component;
  let restPath = rest;
  if (component === 'plugin' && rest[0] === 'version') {
    // The plugin's identity: `@tunekit/training`, or a local module `file:plugins/x.ts`.
    const name = String((after.plugin as { name?: unknown } | undefined)?.name ?? (before.plugin as { name?: unknown } | undefined)?.name ?? '');
    label = `code ${name.replace(/^file:/, '')}`;
    restPath = [];
  } else if (DIGEST_COMPONENTS.has(component)) {
    restPath = rest.slice(0, 1);
  } else if (rest.length > 1 && (component === 'code' || isDigest(change.before) || isDigest(change.after))) {
    // An entry of a named map (`code.files["plugins/x.ts"]`, `code.packages["@tunekit/training"]`): named by its key.
    restPath = rest.slice(-1);
  }
  const name = restPath.length === 1 ? `${label} ${restPath[0]}` : restPath.length ? `${label} ${keyPathText(restPath)}` : label;
  if (change.before === undefined) return `${name} added${shownValue(change.after) ? ` (${valueText(change.after)})` : ''}`;
  if (change.after === undefined) return `${name} removed${shownValue(change.before) ? ` (was ${valueText(change.before)})` : ''}`;
  if (DIGEST_COMPONENTS.has(component) || isDigest(change.before) || isDigest(change.after)) return `${name} changed`;
  return `${name} ${valueText(change.before)} → ${valueText(change.after)}`;
}

/** One line per change (digest components once per name), e.g. `param lr 0.0005 → 0.001`; a new key layout first. */
export function describeKeyChanges(changes: KeyChange[], before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const ordered = [...changes].sort((a, b) => Number(b.path[0] === 'format') - Number(a.path[0] === 'format'));
  return [...new Set(ordered.map((change) => describe(change, before, after)))];
}

/** The reason line: the first `max` changes joined, then how many more. */
export function summarizeKeyChanges(lines: string[], max = 3): string {
  if (lines.length <= max) return lines.join('; ');
  return `${lines.slice(0, max).join('; ')}; and ${lines.length - max} more`;
}
