'use strict';
// An Express app with the layers real ones have (named middleware, a body parser, nested
// routers, params, async handlers, errors passed to next or thrown, next('route'), array
// paths, an error handler), for comparing Strata's Express spans with the stock ones. The
// entry scripts pass the Express they load by name: express-layers.cjs (Express 5, the
// repository's) and ../express4/express-layers.cjs (Express 4).
// PORT from the environment; prints `listening on <port>` once it accepts connections.
const { trace } = require('@opentelemetry/api');
const { setTimeout: sleep } = require('node:timers/promises');

/** Build the app on `express` and listen on PORT. */
function listen(express) {
  const tracer = trace.getTracer('express-layers-app');
  const app = express();
  app.use(function requestId(_req, res, next) {
    res.setHeader('x-request-id', '1');
    next();
  });
  app.use(express.json());

  const users = express.Router();
  users.get('/:id', async (req, res) => {
    await sleep(2);
    tracer.startSpan('load-user').end();
    res.json({ id: req.params.id });
  });
  users.post('/', (req, res) => res.status(201).json(req.body));
  const api = express.Router();
  api.use('/users', users);
  app.use('/api', api);

  app.get('/fail', (_req, _res, next) => next(new Error('boom')));
  app.get('/throw', () => {
    throw new Error('thrown');
  });
  app.get('/skip', (_req, _res, next) => next('route'));
  app.get('/skip', (_req, res) => res.send('second'));
  app.get(['/a', '/b'], (_req, res) => res.send('ab'));
  app.use((err, _req, res, _next) => {
    res.status(500).send(err.message);
  });

  const { PORT = '3000' } = process.env;
  // Express 5 passes a listen error here; Express 4 passes nothing (the server emits 'error').
  const server = app.listen(Number(PORT), '127.0.0.1', (error) => {
    if (error) {
      console.error(`cannot listen: ${error.message}`);
      process.exit(1);
    }
    console.log(`listening on ${server.address().port}`);
  });
}

module.exports = { listen };
