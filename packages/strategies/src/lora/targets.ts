/** Which linear modules LoRA adapts and which modules are saved whole, with PEFT's matching rules. */
import { isHeadParam } from '../names.ts';
import type { LoraConfig } from './config.ts';

/**
 * The model body: embeddings and encoder. LoRA targets are chosen only here, by module path, so the
 * same `target_modules` select the same modules whatever head the model carries (`dense` must not
 * reach `cls.predictions.transform.dense` of an MLM checkpoint, or the pooler, which a token- or
 * MLM-head model lacks in transformers).
 */
export function isBodyModule(module: string): boolean {
  return module.startsWith('bert.embeddings.') || module.startsWith('bert.encoder.');
}

/** PEFT list semantics: exact name or a `.`-separated suffix. */
export function matchesModuleName(module: string, target: string): boolean {
  return module === target || module.endsWith(`.${target}`);
}

/** The linear modules of the body (`isBodyModule`) that `target_modules` selects, minus saved modules. */
export function selectTargetModules(linearModules: string[], config: LoraConfig, savedModules: string[]): string[] {
  const body = linearModules.filter(isBodyModule);
  const candidates = body.filter((m) => !savedModules.some((saved) => matchesModuleName(m, saved)));
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
    throw new Error(`strategy "lora": target_modules ${JSON.stringify(targets)} matches no linear module of the encoder (available: ${body.join(', ')})`);
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

/**
 * Modules a saved adapter must carry because the model initialised them at random (a new head on
 * a checkpoint, e.g. classifier and pooler of a sequence-classification head on an MLM base):
 * loaded on the base model elsewhere (PEFT's `from_pretrained`), they would be drawn at random again.
 * Names as PEFT's `modules_to_save` matches them: `classifier`, `pooler`, `cls`.
 */
export function newlyInitialisedModules(newlyInitialized: readonly string[]): string[] {
  const modules = new Set<string>();
  for (const name of newlyInitialized) {
    if (name.startsWith('classifier.')) modules.add('classifier');
    else if (name.startsWith('bert.pooler.')) modules.add('pooler');
    else if (name.startsWith('cls.')) modules.add('cls');
  }
  return [...modules];
}

/** Parameters belonging to a saved module (the module itself or anything under it). */
export function isInSavedModule(param: string, savedModules: string[]): boolean {
  const module = param.slice(0, param.lastIndexOf('.'));
  return savedModules.some((saved) => matchesModuleName(module, saved) || param.startsWith(`${saved}.`) || param.includes(`.${saved}.`));
}
