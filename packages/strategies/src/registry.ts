/**
 * The strategy registry: built-in strategies register themselves on import of this package;
 * third-party packages call `registerStrategy` with their own definition (see examples/custom-strategy).
 */
import { validateConfig } from './config-schema.ts';
import type { StrategyDefinition } from './types.ts';

const registry = new Map<string, StrategyDefinition<any>>();

export function registerStrategy<C>(definition: StrategyDefinition<C>): StrategyDefinition<C> {
  if (!/^[a-z][a-z0-9_-]*$/.test(definition.name)) {
    throw new Error(`registerStrategy: name "${definition.name}" must be lower-case letters, digits, "-" or "_"`);
  }
  const existing = registry.get(definition.name);
  if (existing && existing !== definition) {
    throw new Error(`registerStrategy: a strategy named "${definition.name}" is already registered`);
  }
  if ((definition.configSchema as { type?: string }).type !== 'object') {
    throw new Error(`registerStrategy(${definition.name}): configSchema must be a JSON schema of type "object"`);
  }
  registry.set(definition.name, definition);
  return definition;
}

export function getStrategy<C = Record<string, unknown>>(name: string): StrategyDefinition<C> {
  const definition = registry.get(name);
  if (!definition) {
    throw new Error(`unknown strategy "${name}" (registered: ${[...registry.keys()].sort().join(', ')})`);
  }
  return definition as StrategyDefinition<C>;
}

export function listStrategies(): string[] {
  return [...registry.keys()].sort();
}

/** Validate a config against the strategy's schema (defaults filled) and return it. */
export function resolveConfig<C>(name: string, config: Record<string, unknown> | undefined): C {
  return validateConfig<C>(getStrategy(name).configSchema, config ?? {}, `strategy "${name}"`);
}
