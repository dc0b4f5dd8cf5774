// The demo moved to examples/shop/demo.js (it runs this hello app when PostgreSQL or Redis is missing).
require('../shop/demo.js');
