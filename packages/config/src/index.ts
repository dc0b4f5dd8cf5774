export { DEFAULT_OTLP_ENDPOINT, defaultConfig } from './defaults';
export { formatIssue, StrataConfigError, StrataConfigNotFoundError } from './errors';
export { toJsonSchema } from './json-schema';
export { CONFIG_FILE_NAMES, findConfigFile, loadConfig, parseConfig } from './load-config';
export {
  CUSTOM_LAYER_PATTERN,
  DEFAULT_DISABLED_INSTRUMENTATIONS,
  INSTRUMENTATION_NAMES,
  LAYER_NAMES,
  LOG_LEVELS,
} from './names';
export type {
  AttributeValue,
  ConfigIssue,
  ExportersConfig,
  InstrumentationsConfig,
  LayerRule,
  LayersConfig,
  LoadedConfig,
  LoadOptions,
  LogLevel,
  OtlpConfig,
  OtlpProtocol,
  OutlierRule,
  ParseOptions,
  RuntimeConfig,
  SamplingConfig,
  ServiceConfig,
  StrataConfig,
  ValueSource,
} from './types';
export { parseDuration, parseRate, parseSize } from './units';
