import conll from './conll.ts';
import corpus from './corpus.ts';
import textClassification from './text-classification.ts';
import tokenize from './tokenize.ts';

export const stages = [conll, textClassification, corpus, tokenize];
