// Fault injection for the shop: `?slow=db:200,cache:150,payments:300,app:50` and
// `?fail=db|payments`, or the same values in SHOP_SLOW / SHOP_FAIL for every request.
// The gateway forwards both parameters to the services it calls.

/** Parse `?slow=` and `?fail=` (else SHOP_SLOW / SHOP_FAIL) into { slow: {layer: ms}, fail: Set }. */
function knobs(query = {}) {
  const slowText = String(query.slow ?? process.env.SHOP_SLOW ?? '');
  const failText = String(query.fail ?? process.env.SHOP_FAIL ?? '');
  const slow = {};
  for (const part of slowText.split(',').filter(Boolean)) {
    const [layer, ms] = part.split(':');
    slow[layer] = Math.min(Number(ms) || 100, 10_000);
  }
  return { slow, fail: new Set(failText.split(',').filter(Boolean)), slowText, failText };
}

/** The query string that passes the knobs on to a downstream service ('' when none). */
function forward(k) {
  const params = new URLSearchParams();
  if (k.slowText) params.set('slow', k.slowText);
  if (k.failText) params.set('fail', k.failText);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Keep the CPU busy for `ms` (time in the app layer, not a wait). */
function burn(ms) {
  const end = performance.now() + ms;
  while (performance.now() < end) {}
}

/** Resolve after `ms`. */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

module.exports = { knobs, forward, burn, sleep };
