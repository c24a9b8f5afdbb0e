/**
 * Tag schemes of token-per-line NER files and their conversion to IOB2 (`B-X` opens every entity,
 * `I-X` continues it). Hand-written because it is a few lines of rules that must report *where* a
 * sequence is ill-formed; seqeval's scheme classes do the same in Python.
 *
 * - IOB1: `I-X` opens an entity unless the previous tag has type X; `B-X` only separates two
 *   adjacent entities of type X (so it must follow `B-X`/`I-X`).
 * - IOB2: `I-X` must follow `B-X` or `I-X`.
 * - IOBES: `S-X` single-token entity, `B-X` begin, `I-X` inside, `E-X` end; B/I must be followed by
 *   I/E of the same type, I/E must follow B/I of the same type.
 */

export type TagScheme = 'IOB1' | 'IOB2' | 'IOBES';
export const TAG_SCHEMES: TagScheme[] = ['IOB1', 'IOB2', 'IOBES'];

export interface SequenceIssue {
  /** Index of the token whose tag is ill-formed. */
  index: number;
  detail: string;
}

export interface ConversionResult {
  tags: string[];
  /** Ill-formed positions; `tags` holds the repaired IOB2 sequence regardless. */
  issues: SequenceIssue[];
}

export interface ParsedTag {
  prefix: string;
  type: string;
}

const PREFIXES: Record<TagScheme, string> = { IOB1: 'BI', IOB2: 'BI', IOBES: 'BIES' };

/** Split `B-Disease` into prefix and type; `O` has prefix `O`. Returns undefined when the tag has no valid form in `scheme`. */
export function parseTag(tag: string, scheme: TagScheme): ParsedTag | undefined {
  if (tag === 'O') return { prefix: 'O', type: '' };
  const match = /^([A-Z])-(\S+)$/.exec(tag);
  if (!match || !PREFIXES[scheme].includes(match[1]!)) return undefined;
  return { prefix: match[1]!, type: match[2]! };
}

export function describeValidTags(scheme: TagScheme): string {
  return `O or ${[...PREFIXES[scheme]].map((p) => `${p}-<type>`).join(', ')} (${scheme})`;
}

/** Convert a sequence of already-parsed tags to IOB2, collecting every ill-formed position. */
export function convertToIob2(parsed: ParsedTag[], scheme: TagScheme): ConversionResult {
  const tags: string[] = [];
  const issues: SequenceIssue[] = [];
  const name = (t: ParsedTag | undefined) => (t === undefined ? 'sentence start' : t.prefix === 'O' ? 'O' : `${t.prefix}-${t.type}`);
  for (let i = 0; i < parsed.length; i++) {
    const tag = parsed[i]!;
    const prev = parsed[i - 1];
    const next = parsed[i + 1];
    if (tag.prefix === 'O') {
      tags.push('O');
      continue;
    }
    const prevSameType = prev !== undefined && prev.prefix !== 'O' && prev.type === tag.type;
    const prevContinues = prevSameType && (scheme !== 'IOBES' || prev.prefix === 'B' || prev.prefix === 'I');
    const x = tag.type;
    switch (scheme) {
      case 'IOB2':
        if (tag.prefix === 'I' && !prevSameType) {
          issues.push({ index: i, detail: `expected B-${x} or I-${x} before I-${x} (IOB2), found ${name(prev)}` });
          tags.push(`B-${x}`);
        } else tags.push(`${tag.prefix}-${x}`);
        break;
      case 'IOB1':
        if (tag.prefix === 'B' && !prevSameType) {
          issues.push({ index: i, detail: `B-${x} may only follow B-${x} or I-${x} in IOB1 (an entity after ${name(prev)} starts with I-${x})` });
        }
        tags.push(tag.prefix === 'B' || !prevSameType ? `B-${x}` : `I-${x}`);
        break;
      case 'IOBES': {
        const opens = tag.prefix === 'B' || tag.prefix === 'S';
        if (!opens && !prevContinues) {
          issues.push({ index: i, detail: `expected B-${x} or I-${x} before ${tag.prefix}-${x} (IOBES), found ${name(prev)}` });
        }
        const nextContinues = next !== undefined && next.type === x && (next.prefix === 'I' || next.prefix === 'E');
        if ((tag.prefix === 'B' || tag.prefix === 'I') && !nextContinues) {
          issues.push({ index: i, detail: `expected I-${x} or E-${x} after ${tag.prefix}-${x} (IOBES), found ${name(next).replace('sentence start', 'sentence end')}` });
        }
        tags.push(opens || !prevContinues ? `B-${x}` : `I-${x}`);
        break;
      }
    }
  }
  return { tags, issues };
}
