import { adapterConfigSchema } from '../adapter/config.ts';
import { strategyStage } from './strategy-stage.ts';

export default strategyStage('adapter', 'Apply the adapter fine-tuning strategy to a model (see packages/strategies/README.md).', adapterConfigSchema);
