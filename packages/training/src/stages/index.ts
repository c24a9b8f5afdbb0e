import fineTune from './fine-tune.ts';

export const stages = [fineTune];
