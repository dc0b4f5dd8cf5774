'use strict';
// A short script (no server): one outbound call that fails, a log line, then
// nothing left to do. Under Strata it must exit as soon as it would without.
const http = require('node:http');

http
  .get('http://127.0.0.1:9/', () => {})
  .on('error', () => {
    console.log('script done');
  });
