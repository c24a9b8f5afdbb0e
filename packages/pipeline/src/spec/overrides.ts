import { parse } from 'yaml';
import { PipelineError } from './pipeline-error.ts';
import type { YamlSource } from './yaml-source.ts';

/**
 * `--set stage.with.key=value` (or `--set params.name=value`, or any other stage field such as
 * `train.seed=7`): the value is parsed as a YAML scalar (`3` is a number, `true` a boolean,
 * `"3"` a string); a flow collection (`[a, b]`, `{k: v}`) gives a list or map.
 * Applied to the YAML document before validation, so the override is validated like the file.
 */
export function applyOverrides(source: YamlSource, overrides: readonly string[]): void {
  for (const expression of overrides) {
    const eq = expression.indexOf('=');
    if (eq <= 0) {
      throw new PipelineError({ location: `--set ${expression}`, message: 'expected <stage>.with.<key>=<value> or params.<name>=<value>' });
    }
    const dotted = expression.slice(0, eq).trim();
    const text = expression.slice(eq + 1);
    const parts = dotted.split('.');
    if (parts.some((part) => part === '') || parts.length < 2) {
      throw new PipelineError({ location: `--set ${expression}`, message: 'expected <stage>.with.<key>=<value> or params.<name>=<value>' });
    }
    let value: unknown;
    try {
      value = parse(text);
    } catch (error) {
      throw new PipelineError({ location: `--set ${expression}`, message: `value is not valid YAML: ${(error as Error).message}` });
    }
    // Only a flow collection (`[a, b]`, `{k: v}`) makes a list or map; anything else is a scalar
    // (so `?` or `a: b` stay strings rather than YAML's complex-key / mapping syntax).
    if (value !== null && typeof value === 'object' && !/^\s*[[{]/.test(text)) value = text;
    const path = parts[0] === 'params' ? parts : ['stages', ...parts];
    if (path[0] === 'stages' && !source.document.hasIn(['stages', parts[0]!])) {
      throw new PipelineError({ location: `--set ${expression}`, message: `unknown stage "${parts[0]}"` });
    }
    source.document.setIn(path, value);
    source.overridden.set(path.join('.'), expression);
  }
}
