export * from './bert-config.ts';
export * from './read-write.ts';
