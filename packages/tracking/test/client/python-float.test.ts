import { describe, expect, test } from '@jest/globals';
import { formatPythonFloat, parsePythonFloat } from '../../src/client/python-float.ts';

describe('metric values are written like Python repr(float), as MLflow FileStore does', () => {
  test.each([
    [1, '1.0'],
    [0.5, '0.5'],
    [-2, '-2.0'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [1e15, '1000000000000000.0'],
    [1e16, '1e+16'],
    [1.2345e20, '1.2345e+20'],
    [0.1 + 0.2, '0.30000000000000004'],
    [NaN, 'nan'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [-0, '-0.0'],
  ])('%p is written as %s', (value, text) => {
    expect(formatPythonFloat(value)).toBe(text);
  });

  test('every written form reads back to the same double', () => {
    for (const v of [1, 0.5, 1e-5, 1e16, 0.1 + 0.2, Infinity, -Infinity, 123456.789]) {
      expect(parsePythonFloat(formatPythonFloat(v))).toBe(v);
    }
    expect(Number.isNaN(parsePythonFloat('nan'))).toBe(true);
  });
});
