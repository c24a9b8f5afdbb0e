export { LocalExecutor, coldProcessRunner, type StageProcessRunner } from './local-executor.ts';
