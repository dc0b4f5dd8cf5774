'use strict';
// A node:http app whose every request calls another service with fetch, so
// the outbound HTTP panels and rules (http_client_request_duration_seconds)
// have data of the application's own, not Strata's export requests.
const http = require('node:http');

// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by the test, not a build input
const target = process.env.OUTBOUND_URL;
const server = http.createServer(async (_req, res) => {
  try {
    const response = await fetch(`${target}/users/1`);
    res.end(await response.text());
  } catch (error) {
    res.statusCode = 502;
    res.end(String(error));
  }
});
// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by the test helper, not a build input
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});
