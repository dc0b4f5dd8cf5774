// Constant-rate load (wrk2-style) in its own process: requests are issued on schedule whatever the
// server does, so a stalled server shows up in the latency instead of slowing the client down.
// Usage: node paced-client.js <url> <rate per s> <duration s> [max sockets]
import http from 'node:http';

const [url, rateArg, durationArg, socketsArg] = process.argv.slice(2);
const rate = Number(rateArg);
const durationMs = Number(durationArg) * 1000;
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(socketsArg ?? 64) });
// Requests due in the first second (at most a fifth of the run) warm the client up, unrecorded.
const warmupMs = Math.min(1000, durationMs / 5);
const latencies = [];
let sent = 0;
let done = 0;
let errors = 0;
let non2xx = 0;

function fire(record) {
  sent += 1;
  // Latency counts from the moment the request is due, including any wait for a free socket.
  const start = process.hrtime.bigint();
  const req = http.get(url, { agent }, (res) => {
    res.resume();
    res.on('end', () => {
      if (record) latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (res.statusCode < 200 || res.statusCode > 299) non2xx += 1;
      done += 1;
    });
  });
  req.on('error', () => {
    errors += 1;
    done += 1;
  });
}

const t0 = performance.now();
const timer = setInterval(() => {
  const elapsed = performance.now() - t0;
  const due = Math.floor((Math.min(elapsed, durationMs) * rate) / 1000);
  while (sent < due) fire(elapsed >= warmupMs);
  if (elapsed >= durationMs) {
    clearInterval(timer);
    finish();
  }
}, 1);

function finish() {
  // Wait (bounded) for requests still in flight, then report.
  const deadline = performance.now() + 5000;
  const wait = setInterval(() => {
    if (done < sent && performance.now() < deadline) return;
    clearInterval(wait);
    const sorted = latencies.sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? null;
    const result = {
      rate,
      durationS: durationMs / 1000,
      sent,
      completed: latencies.length,
      errors,
      non2xx,
      lost: sent - done,
      p50: at(0.5),
      p90: at(0.9),
      p99: at(0.99),
      max: sorted.at(-1) ?? null,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    agent.destroy();
  }, 10);
}
