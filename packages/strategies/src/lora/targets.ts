/** Which linear modules LoRA adapts and which modules are saved whole, with PEFT's matching rules. */
import { isHeadParam } from '../names.ts';
import type { LoraConfig } from './config.ts';

/** PEFT list semantics: exact name or a `.`-separated suffix. */
export function matchesModuleName(module: string, target: string): boolean {
  return module === target || module.endsWith(`.${target}`);
}

export function selectTargetModules(linearModules: string[], config: LoraConfig, savedModules: string[]): string[] {
  const candidates = linearModules.filter((m) => !savedModules.some((saved) => matchesModuleName(m, saved)));
  const targets = config.target_modules;
  let selected: string[];
  if (targets === 'all-linear') {
    selected = candidates.filter((m) => !isHeadParam(`${m}.weight`));
  } else if (typeof targets === 'string') {
    let pattern: RegExp;
    try {
      pattern = new RegExp(`^(?:${targets})$`);
    } catch (error) {
      throw new Error(`strategy "lora": target_modules ${JSON.stringify(targets)} is not a valid regular expression (${(error as Error).message})`);
    }
    selected = candidates.filter((m) => pattern.test(m));
  } else {
    selected = candidates.filter((m) => targets.some((t) => matchesModuleName(m, t)));
  }
  if (selected.length === 0) {
    throw new Error(`strategy "lora": target_modules ${JSON.stringify(targets)} matches no linear module (available: ${linearModules.join(', ')})`);
  }
  return selected;
}

/**
 * modules_to_save resolved: null means the task head the model has. A pooler the loader initialised
 * at random (`newlyInitialized`) is added, as it trains (see `newlyInitializedParams`) and PEFT
 * must find it in the adapter file.
 */
export function resolveModulesToSave(paramNames: string[], config: LoraConfig, newlyInitialized: string[] = []): string[] {
  const modules = new Set<string>();
  if (config.modules_to_save !== null) for (const module of config.modules_to_save) modules.add(module);
  else {
    for (const name of paramNames) {
      if (name.startsWith('classifier.')) modules.add('classifier');
      else if (name.startsWith('cls.')) modules.add('cls');
    }
  }
  const newPooler = newlyInitialized.some((name) => name.startsWith('bert.pooler.'));
  if (newPooler && !paramNames.filter((n) => n.startsWith('bert.pooler.')).every((n) => isInSavedModule(n, [...modules]))) modules.add('pooler');
  return [...modules];
}

/** Parameters belonging to a saved module (the module itself or anything under it). */
export function isInSavedModule(param: string, savedModules: string[]): boolean {
  const module = param.slice(0, param.lastIndexOf('.'));
  return savedModules.some((saved) => matchesModuleName(module, saved) || param.startsWith(`${saved}.`) || param.includes(`.${saved}.`));
}
