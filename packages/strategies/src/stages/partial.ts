import { partialConfigSchema } from '../partial/config.ts';
import { strategyStage } from './strategy-stage.ts';

export default strategyStage('partial', 'Apply the partial fine-tuning strategy to a model (see packages/strategies/README.md).', partialConfigSchema);
