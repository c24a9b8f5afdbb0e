import exportStage from './export.ts';
import fineTune from './fine-tune.ts';
import pretrainMlm from './pretrain-mlm.ts';

export const stages = [fineTune, pretrainMlm, exportStage];
