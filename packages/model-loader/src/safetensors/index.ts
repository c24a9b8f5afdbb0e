export * from './dtypes.ts';
export * from './header.ts';
export * from './read.ts';
export * from './write.ts';
