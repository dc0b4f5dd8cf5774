export { type Command, main, usage } from './cli';
export { type Policy, samplingPolicies, type Unmapped } from './collector/policies';
export {
  COLLECTOR_DEFAULTS,
  type CollectorConfig,
  type CollectorOptions,
  renderCollectorConfig,
} from './collector/render';
export { check } from './commands/check';
export { collectorConfig } from './commands/collector-config';
export { report } from './commands/report';
export { formatEffective, formatMs, sourceText } from './format-effective';
export type { CommandIo } from './io';
export { processIo } from './io';
export { adjustedCount, probabilityOf, thresholdOf } from './report/adjusted-count';
export { type BuildOptions, bucketWidth, buildReport } from './report/build-report';
export { dominant, type LocalRoot, layersOf, localRoots, routeOf } from './report/local-roots';
export { mean, quantile } from './report/quantile';
export { type JaegerQuery, readJaeger, spansOfJaegerResponse } from './report/read-jaeger';
export { readOtlpFile, spansOfExportRequest } from './report/read-otlp-file';
export { chartJsSource, renderHtml } from './report/render-html';
export { ms, renderText, sparkline } from './report/render-text';
export { StrataReportError } from './report/report-error';
export type {
  LayerStats,
  OutlierReport,
  Report,
  ReportSpan,
  RouteReport,
  SamplingSummary,
  TimelineBucket,
} from './report/types';
