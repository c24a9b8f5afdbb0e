/** `uses: tunekit-strategy-bitfit/bitfit` — model in, model out, like `strategies/<name>`. */
import { strategyStage } from '@tunekit/strategies/stages';
import { bitFitConfigSchema } from '../config.ts';

export const stages = [
  strategyStage('bitfit', 'Apply BitFit (bias-only fine-tuning).', bitFitConfigSchema, { id: 'tunekit-strategy-bitfit/bitfit', registerModule: 'tunekit-strategy-bitfit' }),
];
