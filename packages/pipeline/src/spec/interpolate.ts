import type { Scalar } from './types.ts';

/** `${params.a.b}` and `${matrix.k}`; other namespaces (`inputs`, `outputs`) are left for the command runner. */
const REFERENCE = /\$\{\s*(params|matrix)\.([A-Za-z0-9_.-]+)\s*\}/g;
/**
 * A reference inside the name of another one: the `${matrix.strategy}` of
 * `${params.lr_${matrix.strategy}}`. Resolved first, so that each matrix cell picks its own param
 * (and its cache key depends on that param only, not on the params of the other cells).
 */
const INNER_REFERENCE = /(?<=\$\{\s*(?:params|matrix)\.[A-Za-z0-9_.-]*)\$\{\s*(params|matrix)\.([A-Za-z0-9_.-]+)\s*\}/g;
const MAX_NESTING = 4;

export interface InterpolationScope {
  params: Record<string, unknown>;
  matrix?: Record<string, Scalar>;
}

/** Thrown with the reference text; the caller turns it into a positioned pipeline issue. */
export class UnknownReferenceError extends Error {}

function lookup(scope: InterpolationScope, namespace: string, dotted: string): unknown {
  let node: unknown = namespace === 'params' ? scope.params : scope.matrix;
  if (node === undefined) throw new UnknownReferenceError(`\${${namespace}.${dotted}} is only available in a stage with a matrix`);
  for (const part of dotted.split('.')) {
    if (node === null || typeof node !== 'object' || !(part in (node as object))) {
      throw new UnknownReferenceError(`unknown reference \${${namespace}.${dotted}}`);
    }
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/**
 * Replace references inside strings, recursively. A string that is exactly one reference takes
 * the referenced value with its type (`${params.epochs}` → 3); otherwise values are spliced in as text.
 * `onError(path, message)` receives the path of the offending string.
 */
export function interpolate(
  value: unknown,
  scope: InterpolationScope,
  onError: (path: (string | number)[], message: string) => void,
  path: (string | number)[] = [],
  namespaces: readonly string[] = ['params', 'matrix'],
): unknown {
  if (typeof value === 'string') {
    try {
      const text = resolveInner(value, scope, namespaces);
      const whole = /^\$\{\s*(params|matrix)\.([A-Za-z0-9_.-]+)\s*\}$/.exec(text);
      if (whole && namespaces.includes(whole[1]!)) return lookup(scope, whole[1]!, whole[2]!);
      return text.replace(REFERENCE, (text, namespace: string, dotted: string) => {
        if (!namespaces.includes(namespace)) return text;
        const found = lookup(scope, namespace, dotted);
        return typeof found === 'object' && found !== null ? JSON.stringify(found) : String(found);
      });
    } catch (error) {
      if (!(error instanceof UnknownReferenceError)) throw error;
      onError(path, error.message);
      return value;
    }
  }
  if (Array.isArray(value)) return value.map((item, i) => interpolate(item, scope, onError, [...path, i], namespaces));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolate(item, scope, onError, [...path, key], namespaces)]),
    );
  }
  return value;
}

/** Substitute references nested in reference names, innermost first; each must be a scalar. */
function resolveInner(value: string, scope: InterpolationScope, namespaces: readonly string[]): string {
  let text = value;
  for (let depth = 0; depth < MAX_NESTING; depth++) {
    const next = text.replace(INNER_REFERENCE, (ref, namespace: string, dotted: string) => {
      if (!namespaces.includes(namespace)) return ref;
      const found = lookup(scope, namespace, dotted);
      if (found === null || typeof found === 'object') throw new UnknownReferenceError(`\${${namespace}.${dotted}} inside a reference name must be a scalar`);
      return String(found);
    });
    if (next === text) return text;
    text = next;
  }
  throw new UnknownReferenceError(`references nested more than ${MAX_NESTING} deep in "${value}"`);
}
