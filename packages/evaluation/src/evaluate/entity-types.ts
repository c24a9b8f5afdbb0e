/**
 * Scoring on a subset of entity types (`evaluation/ner`'s `entity_types`), e.g. a Disease-only NCBI
 * model on BC5CDR (Chemical + Disease), or a BC5CDR model on NCBI (Disease only): every tag of
 * another type becomes `O`, in gold and in predictions alike. Labels are matched by NAME (`B-Disease`),
 * never by id: the model's `id2label` and the dataset's label list may order them differently.
 */

/** The entity type of an IOB-style tag (`B-Disease` → `Disease`), `null` for `O`. */
export function tagType(tag: string): string | null {
  return tag === 'O' ? null : tag.slice(2);
}

/** `tag` if its type is kept (or it is `O`), else `O`. */
export function keepType(tag: string, types: ReadonlySet<string>): string {
  const type = tagType(tag);
  return type === null || types.has(type) ? tag : 'O';
}

/** Every tag of a sentence list with the types outside `types` set to `O`. */
export function keepTypes(sentences: readonly string[][], types: ReadonlySet<string>): string[][] {
  return sentences.map((tags) => tags.map((tag) => keepType(tag, types)));
}

/**
 * Throws unless every requested type is one the model can predict (has a `B-`/`I-`/... label of
 * that type) and the model has an `O` label to map the other types to.
 */
export function checkModelTypes(types: readonly string[], modelLabels: readonly string[], where: string): void {
  const predicted = new Set(modelLabels.map(tagType).filter((t): t is string => t !== null));
  const missing = types.filter((t) => !predicted.has(t));
  if (missing.length > 0) {
    const none = missing.length === types.length;
    throw new Error(
      `${where}: the model predicts ${none ? 'none of the entity types' : `no ${missing.join(', ')} of the entity types`} [${types.join(', ')}] ` +
        `(its labels, from config.json id2label: ${modelLabels.join(', ')}); entity_types must name types the model was trained on`,
    );
  }
  if (!modelLabels.includes('O')) throw new Error(`${where}: the model has no "O" label to map the other entity types to (its labels: ${modelLabels.join(', ')})`);
}

/** Throws when the scored gold has no mention of a requested type: its F1 would be 0/0. */
export function checkGoldTypes(types: readonly string[], gold: readonly string[][], where: string): void {
  const present = new Set(gold.flatMap((tags) => tags.map(tagType)));
  const missing = types.filter((t) => !present.has(t));
  if (missing.length > 0) throw new Error(`${where}: no gold ${missing.join(', ')} mention to score (entity_types [${types.join(', ')}]); is it the right dataset and split?`);
}

/**
 * Word probabilities over the model's labels → the probabilities over the kept labels: the mass
 * of every label of a dropped type goes to `O` (those words are `O` once the types are dropped).
 * `kept[k]` says whether label k survives; `o` is the index of `O`.
 */
export function collapseProbabilities(probabilities: Float64Array, numLabels: number, kept: readonly boolean[], o: number): Float64Array {
  const out = new Float64Array(probabilities.length);
  for (let i = 0; i < probabilities.length; i += numLabels) {
    for (let k = 0; k < numLabels; k++) out[i + (kept[k] ? k : o)]! += probabilities[i + k]!;
  }
  return out;
}
