import { registerStrategy } from '../registry.ts';
import { applyFull } from './apply.ts';
import { fullConfigSchema, type FullConfig } from './config.ts';

export const fullStrategy = registerStrategy<FullConfig>({
  name: 'full',
  description: 'Every parameter trains.',
  configSchema: fullConfigSchema,
  apply: (model, config) => applyFull(model, config),
});
export type { FullConfig };
