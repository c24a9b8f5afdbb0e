/**
 * Entity extraction, following seqeval 1.2.2's documented behaviour. Expected entities are derived
 * by hand from seqeval's rules (`get_entities` for the default mode, `scheme.IOB2` for strict).
 */
import { describe, expect, test } from '@jest/globals';
import { getEntities, getStrictIob2Entities, InvalidTagError } from '../src/metrics/ner/index.ts';

const spans = (entities: { type: string; start: number; end: number; sentence: number }[]) =>
  entities.map((e) => [e.sentence, e.type, e.start, e.end]);

describe('default mode (seqeval get_entities)', () => {
  test('seqeval docstring: B-PER I-PER O B-LOC → PER 0..1, LOC 3..3', () => {
    expect(spans(getEntities([['B-PER', 'I-PER', 'O', 'B-LOC']]))).toEqual([
      [0, 'PER', 0, 1],
      [0, 'LOC', 3, 3],
    ]);
  });

  test('an I-X without B-X opens an entity', () => {
    expect(spans(getEntities([['I-PER', 'I-PER', 'O', 'I-LOC']]))).toEqual([
      [0, 'PER', 0, 1],
      [0, 'LOC', 3, 3],
    ]);
  });

  test('a change of type closes the entity and opens a new one', () => {
    expect(spans(getEntities([['B-PER', 'I-LOC', 'I-LOC']]))).toEqual([
      [0, 'PER', 0, 0],
      [0, 'LOC', 1, 2],
    ]);
  });

  test('B-X B-X is two adjacent entities', () => {
    expect(spans(getEntities([['B-X', 'B-X']]))).toEqual([
      [0, 'X', 0, 0],
      [0, 'X', 1, 1],
    ]);
  });

  test('an entity at the end of a sentence ends there; I-X at the start of the next sentence opens a new one', () => {
    expect(spans(getEntities([['O', 'B-X', 'I-X'], ['I-X']]))).toEqual([
      [0, 'X', 1, 2],
      [1, 'X', 0, 0],
    ]);
  });

  test('IOBES tags are read as seqeval reads them', () => {
    expect(spans(getEntities([['S-X', 'B-Y', 'E-Y', 'O']]))).toEqual([
      [0, 'X', 0, 0],
      [0, 'Y', 1, 2],
    ]);
  });

  test('the type is everything after the first dash', () => {
    expect(spans(getEntities([['B-PER-NAME', 'I-PER-NAME']]))).toEqual([[0, 'PER-NAME', 0, 1]]);
  });

  test('an empty sentence and an all-O sentence hold no entity', () => {
    expect(getEntities([[], ['O', 'O']])).toEqual([]);
  });

  test('a tag that is not O or B-/I-/E-/S-<type> is rejected', () => {
    expect(() => getEntities([['O', 'X-PER']])).toThrow(InvalidTagError);
    expect(() => getEntities([['Disease']])).toThrow('invalid tag "Disease"');
  });
});

describe('strict IOB2 mode (seqeval mode="strict", scheme=IOB2)', () => {
  test('a well-formed B-X I-X entity counts', () => {
    expect(spans(getStrictIob2Entities([['B-PER', 'I-PER', 'O', 'B-LOC']]))).toEqual([
      [0, 'PER', 0, 1],
      [0, 'LOC', 3, 3],
    ]);
  });

  test('an I-X without B-X is not an entity', () => {
    expect(getStrictIob2Entities([['I-PER', 'I-PER', 'O', 'I-LOC']])).toEqual([]);
  });

  test('I-Y after B-X ends X and is itself dropped', () => {
    expect(spans(getStrictIob2Entities([['B-X', 'I-X', 'I-Y', 'I-Y']]))).toEqual([[0, 'X', 0, 1]]);
  });

  test('B-X B-X is two adjacent entities', () => {
    expect(spans(getStrictIob2Entities([['B-X', 'B-X', 'I-X']]))).toEqual([
      [0, 'X', 0, 0],
      [0, 'X', 1, 2],
    ]);
  });

  test('an entity at the end of a sentence is closed by the sentinel', () => {
    expect(spans(getStrictIob2Entities([['O', 'B-X', 'I-X'], ['B-X']]))).toEqual([
      [0, 'X', 1, 2],
      [1, 'X', 0, 0],
    ]);
  });

  test('E- and S- prefixes are not IOB2 and are rejected', () => {
    expect(() => getStrictIob2Entities([['S-X']])).toThrow('strict IOB2 mode allows only B-, I- and O tags');
  });
});
