import type { InputReference } from './types.ts';

/** Parse `stage.output`, `stage[*].output` or `stage[key=value,...].output` (already checked by the schema pattern). */
export function parseInputReference(text: string): InputReference | { error: string } {
  const match = /^([A-Za-z_][A-Za-z0-9_-]*)(?:\[([^\]]+)\])?\.([A-Za-z_][A-Za-z0-9_-]*)$/.exec(text);
  if (!match) return { error: `expected "<stage>.<output>", "<stage>[*].<output>" or "<stage>[key=value].<output>", found "${text}"` };
  const [, stage, selector, output] = match;
  if (selector === undefined) return { stage: stage!, output: output!, text };
  if (selector.trim() === '*') return { stage: stage!, output: output!, select: '*', text };
  const select: Record<string, string> = {};
  for (const part of selector.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return { error: `invalid cell selector "[${selector}]": expected [*] or [key=value,...]` };
    select[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return { stage: stage!, output: output!, select, text };
}
