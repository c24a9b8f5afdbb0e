// Module hooks of a warm stage worker (registered by fresh-modules.ts, after tsx's).
// A plugin imported as `file:///…/plugin.ts?tunekit-generation=N` passes the same query to every
// module it imports by relative or absolute path, so the plugin's own modules are evaluated afresh
// for each stage (new URL = new module instance); bare specifiers (packages) are left alone.
const KEY = 'tunekit-generation';

function generationOf(url) {
  if (!url || !url.startsWith('file:')) return null;
  return new URL(url).searchParams.get(KEY);
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  const ownPath = specifier.startsWith('file:') || specifier.startsWith('.') || specifier.startsWith('/');
  const generation = specifier.startsWith('file:') ? generationOf(specifier) : ownPath ? generationOf(context.parentURL) : null;
  if (!generation || !result.url.startsWith('file:')) return result;
  const url = new URL(result.url);
  url.searchParams.set(KEY, generation);
  return { ...result, url: url.href };
}
