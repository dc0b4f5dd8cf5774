/** The last `user-agent` value of undici's request headers (`[name, value, …]` or a raw block). */
export function userAgentOf(
  headers: readonly (string | string[])[] | string | undefined,
): string | undefined {
  let found: string | string[] | undefined;
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) {
      const name = headers[i];
      // Only a 10-character name can be User-Agent: the others are never lower-cased.
      if (typeof name === 'string' && name.length === 10 && name.toLowerCase() === 'user-agent') {
        found = headers[i + 1];
      }
    }
  } else if (typeof headers === 'string') {
    for (const line of headers.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon === 10 && line.slice(0, colon).toLowerCase() === 'user-agent') {
        found = line.slice(colon + 1).trim();
      }
    }
  }
  return Array.isArray(found) ? found[found.length - 1] : found;
}
