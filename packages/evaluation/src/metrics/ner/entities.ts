/**
 * Entity extraction in seqeval's default mode (conlleval-compatible), a line-for-line port of
 * seqeval 1.2.2 `get_entities` / `end_of_chunk` / `start_of_chunk` (prefix tags, not suffix):
 * an `I-X` that does not follow `B-X`/`I-X` opens a new entity, a change of type closes one.
 * Sentences are concatenated with an `O` after each, exactly as seqeval flattens a nested list.
 */
import { assertValidTags } from './tags.ts';

export interface Entity {
  /** Index of the sentence. */
  sentence: number;
  type: string;
  /** First word index within the sentence. */
  start: number;
  /** Last word index within the sentence (inclusive). */
  end: number;
}

function split(tag: string): { prefix: string; type: string } {
  const rest = tag.slice(1);
  const dash = rest.indexOf('-');
  // Python: chunk[1:].split('-', maxsplit=1)[-1] or '_'
  const type = (dash === -1 ? rest : rest.slice(dash + 1)) || '_';
  return { prefix: tag[0]!, type };
}

export function endOfChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  if (prevTag === 'E' || prevTag === 'S') return true;
  if ((prevTag === 'B' || prevTag === 'I') && (tag === 'B' || tag === 'S' || tag === 'O')) return true;
  return prevTag !== 'O' && prevTag !== '.' && prevType !== type;
}

export function startOfChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  if (tag === 'B' || tag === 'S') return true;
  if ((prevTag === 'E' || prevTag === 'S' || prevTag === 'O') && (tag === 'E' || tag === 'I')) return true;
  return tag !== 'O' && tag !== '.' && prevType !== type;
}

/** Entities of every sentence in seqeval's default mode. Throws InvalidTagError on a malformed tag. */
export function getEntities(sentences: readonly (readonly string[])[]): Entity[] {
  const entities: Entity[] = [];
  let prevTag = 'O';
  let prevType = '';
  let begin = 0;
  let beginSentence = 0;
  sentences.forEach((tags, sentence) => {
    assertValidTags(tags);
    // seqeval appends 'O' after each sentence; the position of that sentinel is tags.length.
    for (let i = 0; i <= tags.length; i++) {
      const { prefix, type } = split(i < tags.length ? tags[i]! : 'O');
      if (endOfChunk(prevTag, prefix, prevType, type)) {
        // The previous position is in this sentence (i > 0) or is the previous sentence's sentinel,
        // which is an 'O' and never ends a chunk; so the chunk lies within `beginSentence`.
        entities.push({ sentence: beginSentence, type: prevType, start: begin, end: i - 1 });
      }
      if (startOfChunk(prevTag, prefix, prevType, type)) {
        begin = i;
        beginSentence = sentence;
      }
      prevTag = prefix;
      prevType = type;
    }
  });
  return entities;
}
