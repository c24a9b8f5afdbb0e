/**
 * Map checkpoint tensor names to the names TuneKit (and current HF) uses:
 * - checkpoints saved from `BertModel` have no `bert.` prefix (`embeddings.…`, `encoder.…`, `pooler.…`);
 * - old TF-converted checkpoints name LayerNorm parameters `gamma`/`beta` instead of `weight`/`bias`.
 * Returns the new name of every input name, and the renames made.
 */
export function normaliseNames(names: string[]): { mapping: Map<string, string>; renamed: Array<[string, string]> } {
  const bare = !names.some((name) => name.startsWith('bert.')) && names.some((name) => /^(embeddings|encoder)\./.test(name));
  const mapping = new Map<string, string>();
  const renamed: Array<[string, string]> = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    let target = name.replace(/(LayerNorm|layer_norm)\.gamma$/, '$1.weight').replace(/(LayerNorm|layer_norm)\.beta$/, '$1.bias');
    if (bare && /^(embeddings|encoder|pooler)\./.test(target)) target = `bert.${target}`;
    const previous = seen.get(target);
    if (previous !== undefined) throw new Error(`tensors "${previous}" and "${name}" both map to "${target}"`);
    seen.set(target, name);
    mapping.set(name, target);
    if (target !== name) renamed.push([name, target]);
  }
  return { mapping, renamed };
}
