import { describe, expect, test } from '@jest/globals';
import { convertToIob2, parseTag, type TagScheme } from '../../src/tagging/tag-schemes.ts';

const convert = (tags: string[], scheme: TagScheme) => convertToIob2(tags.map((t) => parseTag(t, scheme)!), scheme);

describe('conversion to IOB2', () => {
  test('IOB2 input is kept as is', () => {
    expect(convert(['B-X', 'I-X', 'O', 'B-Y', 'B-Y'], 'IOB2')).toEqual({ tags: ['B-X', 'I-X', 'O', 'B-Y', 'B-Y'], issues: [] });
  });

  test('IOB2: I-X after O is ill-formed and repaired to B-X', () => {
    expect(convert(['O', 'I-X', 'I-X'], 'IOB2')).toEqual({
      tags: ['O', 'B-X', 'I-X'],
      issues: [{ index: 1, detail: 'expected B-X or I-X before I-X (IOB2), found O' }],
    });
  });

  test('IOB2: I-Y after B-X is ill-formed (type change)', () => {
    expect(convert(['B-X', 'I-Y'], 'IOB2').issues).toEqual([{ index: 1, detail: 'expected B-Y or I-Y before I-Y (IOB2), found B-X' }]);
  });

  test('IOB1: I-X opens an entity, B-X separates adjacent entities of the same type', () => {
    expect(convert(['I-X', 'I-X', 'B-X', 'O', 'I-Y', 'I-X'], 'IOB1')).toEqual({
      tags: ['B-X', 'I-X', 'B-X', 'O', 'B-Y', 'B-X'],
      issues: [],
    });
  });

  test('IOB1: B-X after O is ill-formed (repair keeps it as an entity start)', () => {
    expect(convert(['O', 'B-X', 'I-X'], 'IOB1')).toEqual({
      tags: ['O', 'B-X', 'I-X'],
      issues: [{ index: 1, detail: 'B-X may only follow B-X or I-X in IOB1 (an entity after O starts with I-X)' }],
    });
  });

  test('IOBES: S → B, E → I, B/I kept', () => {
    expect(convert(['S-X', 'B-X', 'I-X', 'E-X', 'O', 'B-Y', 'E-Y', 'S-Y'], 'IOBES')).toEqual({
      tags: ['B-X', 'B-X', 'I-X', 'I-X', 'O', 'B-Y', 'I-Y', 'B-Y'],
      issues: [],
    });
  });

  test('IOBES: an unclosed B-X and an E-X without opener are both reported', () => {
    expect(convert(['B-X', 'O', 'E-X'], 'IOBES')).toEqual({
      tags: ['B-X', 'O', 'B-X'],
      issues: [
        { index: 0, detail: 'expected I-X or E-X after B-X (IOBES), found O' },
        { index: 2, detail: 'expected B-X or I-X before E-X (IOBES), found O' },
      ],
    });
  });

  test('IOBES: a B-X at sentence end is reported as unclosed', () => {
    expect(convert(['O', 'B-X'], 'IOBES').issues).toEqual([{ index: 1, detail: 'expected I-X or E-X after B-X (IOBES), found sentence end' }]);
  });

  test('tags outside the scheme do not parse', () => {
    expect(parseTag('S-X', 'IOB2')).toBeUndefined();
    expect(parseTag('Disease', 'IOB2')).toBeUndefined();
    expect(parseTag('B-', 'IOB2')).toBeUndefined();
    expect(parseTag('E-X', 'IOBES')).toEqual({ prefix: 'E', type: 'X' });
  });
});
