export { start } from './start';
export type { StartOptions, StrataHandle } from './start';
