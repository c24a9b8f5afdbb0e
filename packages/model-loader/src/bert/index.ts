export * from './heads.ts';
export * from './parameter-layout.ts';
export * from './init.ts';
export * from './model.ts';
export * from './create.ts';
