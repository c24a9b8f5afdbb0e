import { registerStrategy } from '../registry.ts';
import { applyLora, type AppliedLora } from './apply.ts';
import { loraConfigSchema, type LoraConfig } from './config.ts';

export const loraStrategy = registerStrategy<LoraConfig>({
  name: 'lora',
  description: 'Low-rank updates (LoRA) on chosen linear modules; base frozen, task head trained and saved; PEFT-compatible export.',
  configSchema: loraConfigSchema,
  apply: (model, config, { seed }) => applyLora(model, config, seed),
});
export { applyLora, loraParamNames, type AppliedLora } from './apply.ts';
export { peftAdapterConfig, peftStateDict, peftTaskType, PEFT_CONFIG_FILE, PEFT_WEIGHTS_FILE, PEFT_PREFIX } from './peft-format.ts';
export type { LoraConfig };
