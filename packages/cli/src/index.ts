export { main } from './main.ts';
export { commands } from './commands/index.ts';
export { UsageError, parseCommandArgs, type Command, type CommandIO } from './command.ts';
