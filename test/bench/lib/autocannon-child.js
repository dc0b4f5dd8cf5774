// Saturation load with autocannon, in its own process (the fallback when wrk is not installed).
// Usage: node autocannon-child.js <url> <duration s> <connections>
import autocannon from 'autocannon';

const [url, durationArg, connectionsArg] = process.argv.slice(2);
const result = await autocannon({
  url,
  duration: Number(durationArg),
  connections: Number(connectionsArg),
  pipelining: 1,
});
const seconds = result.duration;
process.stdout.write(
  `${JSON.stringify({
    requests: result.requests.total,
    seconds,
    rps: result.requests.total / seconds,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  })}\n`,
);
