/**
 * `node --require @strata/node/register app.js`: start Strata before the
 * application loads, with no code change.
 */
import { start } from './start';

start();
