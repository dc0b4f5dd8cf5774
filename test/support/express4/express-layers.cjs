'use strict';
// The Express layers app (../apps/express-layers-app.cjs) on Express 4: `require('express')`
// from here resolves to this folder's node_modules, as in an application that depends on it.
require('../apps/express-layers-app.cjs').listen(require('express'));
