import conll from './conll.ts';
import tokenize from './tokenize.ts';

export const stages = [conll, tokenize];
