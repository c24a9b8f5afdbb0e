/**
 * Worker side: the plugin's own modules are evaluated once per stage, not once per worker.
 * ESM modules cannot be unloaded, but a module imported under a new URL is a new instance: the
 * plugin's entry is imported as `…?tunekit-generation=<stage number>` and fresh-modules-hooks.mjs
 * carries that query to everything the plugin imports by relative path. Packages (bare imports:
 * node_modules, the @tunekit/* workspace packages, tfjs) are evaluated once per worker. CommonJS
 * plugins keep Node's require cache (shared by the stages of one worker).
 */
import { register } from 'node:module';

let registered = false;

/** Register the hooks (once per process, before the first generation-tagged import). */
export function enableFreshModules(): void {
  if (registered) return;
  register(new URL('./fresh-modules-hooks.mjs', import.meta.url));
  registered = true;
}

/** `file:` URL of a plugin module tagged with a stage generation. */
export function withGeneration(fileUrl: string, generation: number): string {
  const url = new URL(fileUrl);
  url.searchParams.set('tunekit-generation', String(generation));
  return url.href;
}
