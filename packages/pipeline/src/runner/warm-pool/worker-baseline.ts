/**
 * Worker side: what a fresh process gives for free, taken once when a warm worker is idle
 * (`takeBaseline`), put back before and after each stage (`restoreBaseline`: environment, working
 * directory, exit code, umask) and compared after each stage (`leftovers`): anything the worker
 * cannot put back — a new or replaced global (tfjs's engine among them), a handle still open
 * (timer, socket, child process, worker thread), a listener added to `process`, a native addon
 * loaded — is a reason to retire the worker instead of reusing it. (Memory and stage-count limits
 * are the pool's, see retire-policy.ts.)
 */
import { createRequire } from 'node:module';

export interface WorkerBaseline {
  env: Record<string, string | undefined>;
  cwd: string;
  umask: number;
  globals: Map<string | symbol, PropertyDescriptor>;
  resources: Map<string, number>;
  listeners: Map<string | symbol, number>;
  addons: Set<string>;
}

const requireCache = createRequire(import.meta.url).cache;

function counts(items: Iterable<string>): Map<string, number> {
  const map = new Map<string, number>();
  for (const item of items) map.set(item, (map.get(item) ?? 0) + 1);
  return map;
}

function listenerCounts(): Map<string | symbol, number> {
  return new Map(process.eventNames().map((name) => [name, process.listenerCount(name)]));
}

function loadedAddons(): Set<string> {
  return new Set(Object.keys(requireCache).filter((file) => file.endsWith('.node')));
}

export function takeBaseline(): WorkerBaseline {
  // Node defines some globals (AbortController, fetch, …) as getters that replace themselves with
  // a value on first read: read each one now, so a stage that merely uses one changes nothing.
  for (const key of Reflect.ownKeys(globalThis)) void (globalThis as Record<string | symbol, unknown>)[key];
  const globals = new Map<string | symbol, PropertyDescriptor>();
  for (const key of Reflect.ownKeys(globalThis)) globals.set(key, Object.getOwnPropertyDescriptor(globalThis, key)!);
  return {
    env: { ...process.env },
    cwd: process.cwd(),
    umask: process.umask(),
    globals,
    resources: counts(process.getActiveResourcesInfo()),
    listeners: listenerCounts(),
    addons: loadedAddons(),
  };
}

/** Environment (exactly the baseline's plus `extra`), working directory, exit code and umask. */
export function restoreBaseline(baseline: WorkerBaseline, cwd: string = baseline.cwd, extra: Record<string, string> = {}): void {
  const wanted = { ...baseline.env, ...extra };
  for (const key of Object.keys(process.env)) if (!(key in wanted)) delete process.env[key];
  for (const [key, value] of Object.entries(wanted)) if (value !== undefined && process.env[key] !== value) process.env[key] = value;
  process.chdir(cwd);
  process.exitCode = undefined;
  process.umask(baseline.umask);
}

function sameDescriptor(a: PropertyDescriptor, b: PropertyDescriptor): boolean {
  return Object.is(a.value, b.value) && a.get === b.get && a.set === b.set && a.writable === b.writable && a.enumerable === b.enumerable && a.configurable === b.configurable;
}

function changedGlobals(baseline: WorkerBaseline): string[] {
  const changed: string[] = [];
  const now = new Set(Reflect.ownKeys(globalThis));
  for (const key of now) {
    const before = baseline.globals.get(key);
    const after = Object.getOwnPropertyDescriptor(globalThis, key)!;
    if (!before || !sameDescriptor(before, after)) changed.push(String(key));
  }
  for (const key of baseline.globals.keys()) if (!now.has(key)) changed.push(String(key));
  return changed;
}

function grown<K>(before: Map<K, number>, after: Map<K, number>): string[] {
  return [...after].filter(([key, n]) => n > (before.get(key) ?? 0)).map(([key, n]) => `${String(key)} ×${n - (before.get(key) ?? 0)}`);
}

function list(items: string[]): string {
  return items.length <= 4 ? items.join(', ') : `${items.slice(0, 4).join(', ')} and ${items.length - 4} more`;
}

/**
 * Why this worker must not run another stage ([] = reuse it). Call after the stage's own work
 * has settled (its returned promise resolved) and after `restoreBaseline`.
 */
export function leftovers(baseline: WorkerBaseline): string[] {
  const reasons: string[] = [];
  const globals = changedGlobals(baseline);
  if (globals.includes('_tfengine')) reasons.push('tfjs loaded (its engine, backend, kernels and wasm heap live as long as the process)');
  else if (globals.length > 0) reasons.push(`globals changed: ${list(globals)}`);
  const handles = grown(baseline.resources, counts(process.getActiveResourcesInfo()));
  if (handles.length > 0) reasons.push(`handles left open: ${list(handles)}`);
  const listeners = grown(baseline.listeners, listenerCounts());
  if (listeners.length > 0) reasons.push(`process listeners added: ${list(listeners)}`);
  const addons = [...loadedAddons()].filter((file) => !baseline.addons.has(file));
  if (addons.length > 0) reasons.push(`native addon loaded: ${list(addons)}`);
  return reasons;
}
