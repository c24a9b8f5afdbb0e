export * from './encoded/types.ts';
export { DataError, isDataError } from './errors/data-error.ts';
export type * from './dataset/types.ts';
export { readDataset } from './dataset/read-dataset.ts';
export { writeDataset } from './dataset/write-dataset.ts';
export { parseConll } from './conll/parse-conll.ts';
export { convertToIob2, parseTag, type TagScheme } from './tagging/tag-schemes.ts';
