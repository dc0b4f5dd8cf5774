import { fillRange } from './fill-range';
import type { Scratch } from './scratch';
import type { LayerSpan } from './types';

/**
 * Resolve parents and lay the tree out in pre-order (fills `parent`, `tin`, `tout`, `order`);
 * returns the tree's depth (the root alone is 0).
 * A span whose parent is missing, itself, or part of a cycle hangs from the root, so every span
 * is a descendant of the root and nothing loops. O(n).
 */
export function buildSpanTree(spans: readonly LayerSpan[], root: number, w: Scratch): number {
  const n = spans.length;
  const { parent, state, head, next, order, tin, tout } = w;
  const indexOf = spanIndex(spans, root);
  for (let i = 0; i < n; i++) {
    const id = spans[i].parentSpanId;
    const p = id === undefined ? undefined : indexOf(id);
    parent[i] = i === root ? -1 : p === undefined || p === i ? root : p;
    state[i] = 0;
  }
  // Walk each ancestor chain once (0 new, 1 on the current path, 2 reaches the root); meeting
  // the current path again is a cycle, broken by hanging its last span from the root.
  state[root] = 2;
  for (let i = 0; i < n; i++) {
    let j = i;
    let last = -1;
    while (state[j] === 0) {
      state[j] = 1;
      last = j;
      j = parent[j];
    }
    if (state[j] === 1) parent[last] = root;
    for (j = i; state[j] === 1; j = parent[j]) state[j] = 2;
  }
  fillRange(head, -1, 0, n);
  for (let i = n - 1; i >= 0; i--) {
    if (i === root) continue;
    next[i] = head[parent[i]];
    head[parent[i]] = i;
  }
  // Iterative DFS (a stack keeps subtrees contiguous); `tout` serves as the stack until filled.
  let top = 0;
  let count = 0;
  tout[top++] = root;
  while (top > 0) {
    const x = tout[--top];
    tin[x] = count;
    order[count++] = x;
    for (let c = head[x]; c !== -1; c = next[c]) tout[top++] = c;
  }
  // Subtree sizes in reverse pre-order (children before parents), then tout = tin + size - 1.
  const size = head; // children lists are no longer needed
  fillRange(size, 1, 0, n);
  for (let k = n - 1; k > 0; k--) {
    const x = order[k];
    size[parent[x]] += size[x];
  }
  for (let i = 0; i < n; i++) tout[i] = tin[i] + size[i] - 1;
  // Depth in pre-order (parents first); `next` is free again.
  const depth = next;
  depth[root] = 0;
  let max = 0;
  for (let k = 1; k < n; k++) {
    const x = order[k];
    depth[x] = depth[parent[x]] + 1;
    if (depth[x] > max) max = depth[x];
  }
  return max;
}

// Up to this many spans, a parent is found by scanning: no map at all.
const SCAN_SPANS = 32;

/**
 * Index of the span with a given id (the root for its own id, else the first one). A map of
 * its own per trace, never a long-lived one: a shared map kept the last trace's span ids (and
 * its own tables) alive through young-generation GCs, as an allocation profile of survivors
 * showed.
 */
function spanIndex(spans: readonly LayerSpan[], root: number): (id: string) => number | undefined {
  const n = spans.length;
  const rootId = spans[root].spanId;
  if (n <= SCAN_SPANS) {
    return (id) => {
      if (id === rootId) return root;
      for (let i = 0; i < n; i++) if (spans[i].spanId === id) return i;
      return undefined;
    };
  }
  const ids = new Map<string, number>([[rootId, root]]);
  for (let i = 0; i < n; i++) if (!ids.has(spans[i].spanId)) ids.set(spans[i].spanId, i);
  return (id) => ids.get(id);
}
