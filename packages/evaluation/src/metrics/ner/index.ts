export * from './tags.ts';
export * from './entities.ts';
export * from './strict-entities.ts';
export * from './ner-metrics.ts';
