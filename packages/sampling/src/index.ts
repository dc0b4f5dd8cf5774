export type { StrataSamplerOptions } from './baseline/strata-sampler';
export { createStrataSampler } from './baseline/strata-sampler';
export { clampProbability, formatThreshold } from './baseline/threshold';
export type {
  LocalTraceProcessor,
  LocalTraceProcessorOptions,
  LocalTraceStats,
} from './local-trace/local-trace-processor';
export {
  ATTR_SAMPLING_REASON,
  createLocalTraceProcessor,
} from './local-trace/local-trace-processor';
export { estimateSpanBytes } from './local-trace/span-size';
export { summarizeLocalTrace } from './local-trace/trace-summary';
export { compileGlob } from './outlier/glob';
export type { OutlierDecider, OutlierDeciderOptions } from './outlier/outlier-decider';
export { createOutlierDecider } from './outlier/outlier-decider';
export type { CompiledRule, RuleInput } from './outlier/outlier-rule';
export { compileRule } from './outlier/outlier-rule';
export { routeKey } from './outlier/route-key';
export type { RouteWindow } from './outlier/route-window';
export { createRouteWindow } from './outlier/route-window';
export type { TokenBucket } from './outlier/token-bucket';
export { createTokenBucket } from './outlier/token-bucket';
export { hasKeepMark, KEEP_MARK_KEY, KEEP_MARK_VALUE, withKeepMark } from './signals/keep-mark';
export { createKeepMarkPropagator } from './signals/keep-mark-propagator';
export {
  formatServerTimingKeep,
  parseServerTimingKeep,
  SERVER_TIMING_TRACEPARENT,
} from './signals/server-timing';
export type {
  BufferOptions,
  KeepReason,
  LocalTrace,
  LocalTraceExporter,
  LocalTraceFacts,
  OutlierOptions,
  OutlierRule,
  ProvisionalSummary,
  RuleValue,
  SamplingOptions,
  SlowOptions,
  TraceDecision,
  TraceSummary,
} from './types';
