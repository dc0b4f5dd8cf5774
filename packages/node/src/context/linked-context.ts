import type { Context } from '@opentelemetry/api';

// Past this many links a context is flattened into one Map, so lookups stay short.
const MAX_DEPTH = 32;
// The key of a request's first link: never read, so it only anchors the chain.
const ANCHOR = Symbol('strata.context.anchor');
const DELETED = Symbol('strata.context.deleted');

/**
 * An OpenTelemetry `Context` as a persistent linked list: `setValue` adds one small
 * node, where the API's context copies its whole Map and makes three closures (about
 * 0.6 KB for every span a request starts). Lookups walk the links, then ask the
 * context the chain started from.
 */
class LinkedContext implements Context {
  constructor(
    private readonly parent: Context,
    private readonly key: symbol,
    private readonly value: unknown,
    private readonly depth: number,
    /** Set on a flattened node: every binding of the chain it replaced. */
    private readonly flat?: Map<symbol, unknown>,
  ) {}

  getValue(key: symbol): unknown {
    let node: Context = this;
    while (node instanceof LinkedContext) {
      if (node.flat !== undefined) {
        if (node.flat.has(key)) {
          const value = node.flat.get(key);
          return value === DELETED ? undefined : value;
        }
      } else if (node.key === key) {
        return node.value === DELETED ? undefined : node.value;
      }
      node = node.parent;
    }
    return node.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    return this.link(key, value);
  }

  deleteValue(key: symbol): Context {
    return this.link(key, DELETED);
  }

  private link(key: symbol, value: unknown): Context {
    if (this.depth < MAX_DEPTH) return new LinkedContext(this, key, value, this.depth + 1);
    // Flatten: the nearest binding of each key wins, so walk from the oldest link.
    const chain: LinkedContext[] = [];
    let node: Context = this;
    while (node instanceof LinkedContext) {
      chain.push(node);
      node = node.parent;
    }
    const flat = new Map<symbol, unknown>();
    for (let i = chain.length - 1; i >= 0; i--) {
      const link = chain[i];
      if (link.flat !== undefined) for (const [k, v] of link.flat) flat.set(k, v);
      else if (link.key !== ANCHOR) flat.set(link.key, link.value);
    }
    flat.set(key, value);
    return new LinkedContext(node, ANCHOR, undefined, 1, flat);
  }
}

/**
 * `base` as a context whose `setValue`/`deleteValue` (and those of every context
 * derived from it) link instead of copying. Lookups of keys it does not hold go to `base`.
 */
export function linkedContext(base: Context): Context {
  return base instanceof LinkedContext ? base : new LinkedContext(base, ANCHOR, undefined, 0);
}
