import conll from './conll.ts';
import corpus from './corpus.ts';
import fewShot from './few-shot.ts';
import textClassification from './text-classification.ts';
import tokenize from './tokenize.ts';
import trainTokenizer from './train-tokenizer.ts';

export const stages = [conll, textClassification, corpus, tokenize, trainTokenizer, fewShot];
