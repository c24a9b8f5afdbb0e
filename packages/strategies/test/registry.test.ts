import { describe, expect, test } from '@jest/globals';
import { getStrategy, listStrategies, registerStrategy, resolveConfig } from '../src/index.ts';

describe('strategy registry', () => {
  test('lists the four built-in strategies', () => {
    expect(listStrategies()).toEqual(expect.arrayContaining(['adapter', 'full', 'lora', 'partial']));
  });

  test('an unknown name is an error listing the registered ones', () => {
    expect(() => getStrategy('prefix')).toThrow(/unknown strategy "prefix" \(registered: .*adapter, full, lora, partial/);
  });

  test('a second strategy under a taken name is refused', () => {
    expect(() => registerStrategy({ name: 'lora', description: 'x', configSchema: { type: 'object' }, apply: () => ({ name: 'lora', config: {}, addedParams: [], remove() {} }) })).toThrow(
      'a strategy named "lora" is already registered',
    );
  });

  test('resolveConfig fills every default of the lora schema', () => {
    expect(resolveConfig('lora', {})).toEqual({ r: 8, alpha: 16, dropout: 0, target_modules: ['query', 'value'], use_rslora: false, modules_to_save: null, bias: 'none' });
  });

  test('resolveConfig rejects a wrong type and an unknown option with the path', () => {
    expect(() => resolveConfig('lora', { r: 'eight' })).toThrow('strategy "lora": invalid config: /r must be integer');
    expect(() => resolveConfig('adapter', { size: 4 })).toThrow('strategy "adapter": invalid config: (config) must NOT have additional properties');
  });
});
