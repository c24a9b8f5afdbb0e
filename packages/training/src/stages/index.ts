import exportStage from './export.ts';
import fineTune from './fine-tune.ts';
import pretrainEmbeddings from './pretrain-embeddings.ts';
import pretrainMlm from './pretrain-mlm.ts';

export const stages = [fineTune, pretrainMlm, pretrainEmbeddings, exportStage];
