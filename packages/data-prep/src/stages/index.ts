import conll from './conll.ts';

export const stages = [conll];
