import { hello } from '@strata/config'; export const x = hello;
