'use strict';
// The Express layers app (express-layers-app.cjs) on Express 5, the repository's.
require('./express-layers-app.cjs').listen(require('express'));
