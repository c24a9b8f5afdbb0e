import create from './create.ts';
import load from './load.ts';

export const stages = [load, create];
