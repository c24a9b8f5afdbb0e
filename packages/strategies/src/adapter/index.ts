import { registerStrategy } from '../registry.ts';
import { applyAdapter } from './apply.ts';
import { adapterConfigSchema, type AdapterConfig } from './config.ts';

export const adapterStrategy = registerStrategy<AdapterConfig>({
  name: 'adapter',
  description: 'Bottleneck adapters in every transformer block (Houlsby or Pfeiffer placement), identity at init; base frozen.',
  configSchema: adapterConfigSchema,
  apply: (model, config, { seed }) => applyAdapter(model, config, seed),
});
export type { AdapterConfig };
