export { type Command, main, usage } from './cli';
export { check } from './commands/check';
export { formatEffective, formatMs, sourceText } from './format-effective';
export type { CommandIo } from './io';
export { processIo } from './io';
