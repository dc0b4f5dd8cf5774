import { compileGlob, type GlobMatcher } from './glob';
import { inferLayer, type ScopeInfo } from './infer-layer';
import { KNOWN_SCOPES, shortScopeName } from './known-systems';
import type { LayerClass, LayerClassifier, LayerRule, LayerSpan } from './types';

const KINDS: Readonly<Record<string, number>> = {
  internal: 0,
  server: 1,
  client: 2,
  producer: 3,
  consumer: 4,
};
// Span names can be high-cardinality when an instrumentation puts ids in them: bound the memo.
const MAX_NAME_MEMO = 4096;
// Peer hosts make systems open-ended: past this, results are fresh objects instead of interned.
const MAX_INTERNED = 10_000;

interface CompiledRule {
  readonly scope: GlobMatcher | undefined;
  readonly span: GlobMatcher | undefined;
  readonly kind: number;
  readonly attributes: ReadonlyArray<readonly [string, unknown]>;
  readonly layer: string;
  readonly system: string | undefined;
  readonly text: string;
}

interface ScopeState extends ScopeInfo {
  /** 1 where rule i has no scope glob or its glob matches this scope. */
  readonly rules: Uint8Array;
}

function compileRule(rule: LayerRule, index: number): CompiledRule {
  const { when = {}, layer, system } = rule;
  if (typeof layer !== 'string' || layer === '') {
    throw new TypeError(`layers.rules[${index}].layer: expected a non-empty string`);
  }
  const kind = when.kind === undefined ? -1 : KINDS[when.kind];
  if (kind === undefined) {
    throw new TypeError(
      `layers.rules[${index}].when.kind: "${when.kind}" - expected one of ${Object.keys(KINDS).join(', ')}`,
    );
  }
  const parts: string[] = [];
  if (when.scope !== undefined) parts.push(`scope=${JSON.stringify(when.scope)}`);
  if (when.span !== undefined) parts.push(`span=${JSON.stringify(when.span)}`);
  if (when.kind !== undefined) parts.push(`kind=${when.kind}`);
  if (when.attributes !== undefined) parts.push(`attributes=${JSON.stringify(when.attributes)}`);
  return {
    scope: when.scope === undefined ? undefined : compileGlob(when.scope),
    span: when.span === undefined ? undefined : compileGlob(when.span),
    kind,
    attributes: Object.entries(when.attributes ?? {}),
    layer,
    system,
    text: `{${parts.join(', ')}} -> ${system === undefined ? layer : `${layer}/${system}`}`,
  };
}

/** Create a span classifier: user rule › `strata.layer` › built-in inference (see README). */
export function createLayerClassifier(rules: readonly LayerRule[] = []): LayerClassifier {
  const compiled = rules.map(compileRule);
  const anySpanGlob = compiled.some((r) => r.span !== undefined);
  const scopes = new Map<string, ScopeState>();
  const names = new Map<string, Uint8Array>();
  const interned = new Map<string, Map<string, LayerClass>>();
  let internedCount = 0;

  const intern = (layer: string, system: string): LayerClass => {
    let bySystem = interned.get(layer);
    if (bySystem === undefined) {
      bySystem = new Map();
      interned.set(layer, bySystem);
    }
    let cls = bySystem.get(system);
    if (cls === undefined) {
      cls = Object.freeze({ layer, system });
      if (internedCount < MAX_INTERNED) {
        bySystem.set(system, cls);
        internedCount++;
      }
    }
    return cls;
  };

  const scopeState = (scope: string): ScopeState => {
    let state = scopes.get(scope);
    if (state === undefined) {
      const mask = new Uint8Array(compiled.length);
      for (let i = 0; i < compiled.length; i++) {
        const glob = compiled[i].scope;
        mask[i] = glob === undefined || glob(scope) ? 1 : 0;
      }
      state = { short: shortScopeName(scope), known: KNOWN_SCOPES.get(scope), rules: mask };
      scopes.set(scope, state);
    }
    return state;
  };

  const nameMask = (name: string): Uint8Array => {
    let mask = names.get(name);
    if (mask === undefined) {
      mask = new Uint8Array(compiled.length);
      for (let i = 0; i < compiled.length; i++) {
        const glob = compiled[i].span;
        mask[i] = glob === undefined || glob(name) ? 1 : 0;
      }
      if (names.size >= MAX_NAME_MEMO) names.clear();
      names.set(name, mask);
    }
    return mask;
  };

  const matchRule = (span: LayerSpan, scope: ScopeState): CompiledRule | undefined => {
    let byName: Uint8Array | undefined;
    for (let i = 0; i < compiled.length; i++) {
      const rule = compiled[i];
      if (scope.rules[i] === 0 || (rule.kind !== -1 && rule.kind !== span.kind)) continue;
      if (rule.span !== undefined) {
        byName ??= anySpanGlob ? nameMask(span.name) : undefined;
        if (byName === undefined || byName[i] === 0) continue;
      }
      let ok = true;
      for (let j = 0; ok && j < rule.attributes.length; j++) {
        const [key, value] = rule.attributes[j];
        ok = span.attributes[key] === value;
      }
      if (ok) return rule;
    }
    return undefined;
  };

  const classify = (span: LayerSpan): LayerClass => {
    const scope = scopeState(span.scope);
    if (compiled.length !== 0) {
      const rule = matchRule(span, scope);
      if (rule !== undefined) {
        return intern(rule.layer, rule.system ?? inferLayer(span, scope, intern).system);
      }
    }
    const explicit = span.attributes['strata.layer'];
    if (typeof explicit === 'string' && explicit !== '') {
      const system = span.attributes['strata.layer.system'];
      return intern(
        explicit,
        typeof system === 'string' && system !== ''
          ? system
          : inferLayer(span, scope, intern).system,
      );
    }
    return inferLayer(span, scope, intern);
  };

  const text = `LayerClassifier(rules=${compiled.length}${compiled.map((r) => `; ${r.text}`).join('')})`;
  return { classify, toString: () => text };
}
