import exportStage from './export.ts';
import fineTune from './fine-tune.ts';
import pretrainElectra from './pretrain-electra.ts';
import pretrainEmbeddings from './pretrain-embeddings.ts';
import pretrainMlm from './pretrain-mlm.ts';

export const stages = [fineTune, pretrainMlm, pretrainElectra, pretrainEmbeddings, exportStage];
