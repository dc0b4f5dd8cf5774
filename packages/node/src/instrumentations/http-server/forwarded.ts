/**
 * The first value of `key` (`for`, `host`, `proto`) in an RFC 7239
 * `Forwarded` header, unquoted; entries are tried in order, as the stock
 * instrumentation does with `forwarded-parse`.
 */
export function forwardedValue(header: string, key: string): string | undefined {
  const entries = header.split(',');
  for (let i = 0; i < entries.length; i++) {
    const pairs = entries[i].split(';');
    for (let j = 0; j < pairs.length; j++) {
      const pair = pairs[j];
      const eq = pair.indexOf('=');
      if (eq === -1 || pair.slice(0, eq).trim().toLowerCase() !== key) continue;
      let value = pair.slice(eq + 1).trim();
      if (value.length >= 2 && value[0] === '"' && value[value.length - 1] === '"') {
        value = value.slice(1, -1);
      }
      if (value !== '') return value;
    }
  }
  return undefined;
}

/** An address without its port: `[::1]:80` → `::1`, `10.0.0.1:80` → `10.0.0.1`, bare IPv6 unchanged. */
export function stripPort(address: string): string {
  if (address[0] === '[') {
    const end = address.indexOf(']');
    return end === -1 ? address : address.slice(1, end);
  }
  const colon = address.indexOf(':');
  if (colon !== -1 && address.indexOf(':', colon + 1) === -1) return address.slice(0, colon);
  return address;
}
