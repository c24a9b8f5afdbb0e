import { fullConfigSchema } from '../full/config.ts';
import { strategyStage } from './strategy-stage.ts';

export default strategyStage('full', 'Apply the full fine-tuning strategy to a model (see packages/strategies/README.md).', fullConfigSchema);
