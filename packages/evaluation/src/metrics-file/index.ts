export * from './schema.ts';
export * from './read-write.ts';
