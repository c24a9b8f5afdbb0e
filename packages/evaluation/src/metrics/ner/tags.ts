/**
 * A tag is `O` or `<prefix>-<TYPE>` with prefix B, I, E or S (bare B/I/E/S are accepted as seqeval
 * does, with type `_`). Anything else is rejected so that a typo never silently becomes an entity.
 */

export interface ParsedTag {
  prefix: 'O' | 'B' | 'I' | 'E' | 'S';
  type: string;
}

const TAG = /^(O|[BIES](-.+)?)$/;

export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

export class InvalidTagError extends Error {
  constructor(
    readonly tag: string,
    detail: string,
  ) {
    super(`invalid tag "${tag}": ${detail}`);
  }
}

export function assertValidTags(tags: readonly string[]): void {
  for (const tag of tags) {
    if (!isValidTag(tag)) throw new InvalidTagError(tag, 'expected O or B-/I-/E-/S-<type>');
  }
}
