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

/** modules_to_save resolved: null means the task head the model has. */
export function resolveModulesToSave(paramNames: string[], config: LoraConfig): string[] {
  if (config.modules_to_save !== null) return config.modules_to_save;
  const heads = new Set<string>();
  for (const name of paramNames) {
    if (name.startsWith('classifier.')) heads.add('classifier');
    else if (name.startsWith('cls.')) heads.add('cls');
  }
  return [...heads];
}

/** Parameters belonging to a saved module (the module itself or anything under it). */
export function isInSavedModule(param: string, savedModules: string[]): boolean {
  const module = param.slice(0, param.lastIndexOf('.'));
  return savedModules.some((saved) => matchesModuleName(module, saved) || param.startsWith(`${saved}.`) || param.includes(`.${saved}.`));
}
