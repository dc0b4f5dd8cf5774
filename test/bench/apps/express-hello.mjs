// Express hello world (ES module): the same app as express-hello.cjs, loaded through the ESM loader.
import express from 'express';

const app = express();
app.get('/', (_req, res) => {
  res.send('hello world');
});

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});
