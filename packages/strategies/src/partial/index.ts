import { registerStrategy } from '../registry.ts';
import { applyPartial } from './apply.ts';
import { partialConfigSchema, type PartialConfig } from './config.ts';

export const partialStrategy = registerStrategy<PartialConfig>({
  name: 'partial',
  description: 'Freeze parameters by regex, keep only the last N encoder layers trainable, freeze embeddings; the task head always trains.',
  configSchema: partialConfigSchema,
  apply: (model, config) => applyPartial(model, config),
});
export type { PartialConfig };
