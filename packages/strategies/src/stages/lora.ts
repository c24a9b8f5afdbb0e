import { loraConfigSchema } from '../lora/config.ts';
import { strategyStage } from './strategy-stage.ts';

export default strategyStage('lora', 'Apply the lora fine-tuning strategy to a model (see packages/strategies/README.md).', loraConfigSchema);
