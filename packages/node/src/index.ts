export type { StartOptions, StrataHandle } from './start';
export { start } from './start';
