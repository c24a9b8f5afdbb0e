/**
 * Entity extraction in seqeval's strict mode with the IOB2 scheme
 * (`classification_report(..., mode='strict', scheme=IOB2)`), ported from seqeval 1.2.2
 * `scheme.py` (`Tokens.entities`, `IOB2` patterns): only an entity that starts with `B-X` and
 * continues with `I-X` counts; an `I-X` without its `B-X` is not an entity at all. Tags other than
 * B/I/O are an error, as in seqeval.
 */
import type { Entity } from './entities.ts';
import { assertValidTags, InvalidTagError } from './tags.ts';

interface Token {
  prefix: string;
  /** Python: token[1:].strip('-') or '_' */
  type: string;
}

function parse(tag: string): Token {
  return { prefix: tag[0]!, type: tag.slice(1).replace(/^-+|-+$/g, '') || '_' };
}

/** IOB2 `inside_patterns`: (B|I) → I of the same type. */
function isInside(prev: Token, token: Token): boolean {
  return (prev.prefix === 'B' || prev.prefix === 'I') && token.prefix === 'I' && prev.type === token.type;
}

/** IOB2 `end_patterns`: does an entity end between `prev` and `token`? */
function isEnd(prev: Token, token: Token): boolean {
  if (prev.prefix !== 'B' && prev.prefix !== 'I') return false;
  return token.prefix === 'O' || token.prefix === 'B' || (token.prefix === 'I' && token.type !== prev.type);
}

function sentenceEntities(tags: readonly string[], sentence: number, out: Entity[]): void {
  const tokens = [...tags, 'O'].map(parse); // seqeval appends an 'O' sentinel
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i]!;
    if (token.prefix !== 'B' && token.prefix !== 'I' && token.prefix !== 'O') {
      throw new InvalidTagError(tags[i]!, 'strict IOB2 mode allows only B-, I- and O tags');
    }
    if (token.prefix === 'B') {
      // IOB2 start_patterns: any → B
      let end = i + 1;
      let prev = token;
      while (end < tokens.length && isInside(prev, tokens[end]!)) prev = tokens[end++]!;
      if (isEnd(tokens[end - 1]!, tokens[end]!)) out.push({ sentence, type: token.type, start: i, end: end - 1 });
      i = end;
    } else {
      i += 1;
    }
  }
}

export function getStrictIob2Entities(sentences: readonly (readonly string[])[]): Entity[] {
  const entities: Entity[] = [];
  sentences.forEach((tags, sentence) => {
    assertValidTags(tags);
    sentenceEntities(tags, sentence, entities);
  });
  return entities;
}
