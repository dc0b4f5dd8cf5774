import { type Attributes, type Histogram, ValueType } from '@opentelemetry/api';
import { hrTime } from '@opentelemetry/core';
import {
  AggregationTemporality,
  type CollectionResult,
  DataPointType,
  type MetricData,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';

/** A histogram Strata records on the request path. */
export interface HistogramOptions {
  description: string;
  unit: string;
  /** Explicit bucket boundaries, ascending. */
  boundaries: readonly number[];
  /** Instrumentation scope the metric is reported under. */
  scope: string;
  /** Distinct attribute sets at most; past it, values go to `otel.metric.overflow=true`. */
  maxCells?: number;
}

/** Histograms aggregated in place and read by the metric readers through a MetricProducer. */
export interface HistogramCells {
  producer: MetricProducer;
  /**
   * A histogram keyed by attribute-object identity: callers pass the same
   * (cached) attributes object for the same label set. `Histogram.record`
   * of the SDK hashes the attributes on every call (sorting keys and
   * JSON-encoding them), the largest metric cost per request in profiles;
   * here a record is a Map lookup and a bucket increment.
   */
  histogram(name: string, options: HistogramOptions): Histogram<Attributes>;
}

interface Cell {
  readonly attributes: Attributes;
  readonly counts: number[];
  sum: number;
  count: number;
  min: number;
  max: number;
}

interface Instrument {
  readonly name: string;
  readonly options: HistogramOptions;
  readonly cells: Map<Attributes, Cell>;
}

const OVERFLOW: Attributes = { 'otel.metric.overflow': true };

/** Create the registry; pass `producer` to every metric reader (`metricProducers`). */
export function createHistogramCells(): HistogramCells {
  const instruments: Instrument[] = [];
  const startTime = hrTime();
  return {
    histogram(name, options) {
      const instrument: Instrument = { name, options, cells: new Map() };
      instruments.push(instrument);
      const boundaries = options.boundaries;
      const maxCells = options.maxCells ?? 2000;
      return {
        record(value: number, attributes: Attributes = OVERFLOW) {
          if (!(value >= 0) || value === Number.POSITIVE_INFINITY) return;
          let cell = instrument.cells.get(attributes);
          if (cell === undefined) {
            const key = instrument.cells.size >= maxCells ? OVERFLOW : attributes;
            cell = instrument.cells.get(key);
            if (cell === undefined) {
              cell = {
                attributes: key,
                counts: new Array(boundaries.length + 1).fill(0),
                sum: 0,
                count: 0,
                min: value,
                max: value,
              };
              instrument.cells.set(key, cell);
            }
          }
          // Bucket i holds (boundaries[i-1], boundaries[i]]; few boundaries: a linear scan.
          let i = 0;
          while (i < boundaries.length && value > boundaries[i]) i++;
          cell.counts[i]++;
          cell.sum += value;
          cell.count++;
          if (value < cell.min) cell.min = value;
          if (value > cell.max) cell.max = value;
        },
      };
    },
    producer: {
      async collect(): Promise<CollectionResult> {
        const endTime = hrTime();
        const byScope = new Map<string, MetricData[]>();
        for (const { name, options, cells } of instruments) {
          if (cells.size === 0) continue;
          const metric: MetricData = {
            descriptor: {
              name,
              description: options.description,
              unit: options.unit,
              valueType: ValueType.DOUBLE,
            },
            aggregationTemporality: AggregationTemporality.CUMULATIVE,
            dataPointType: DataPointType.HISTOGRAM,
            dataPoints: [...cells.values()].map((cell) => ({
              startTime,
              endTime,
              attributes: cell.attributes,
              value: {
                buckets: { boundaries: [...options.boundaries], counts: [...cell.counts] },
                sum: cell.sum,
                count: cell.count,
                min: cell.min,
                max: cell.max,
              },
            })),
          };
          const list = byScope.get(options.scope) ?? [];
          list.push(metric);
          byScope.set(options.scope, list);
        }
        return {
          resourceMetrics: {
            resource: undefined as never, // the reader keeps the SDK producer's resource
            scopeMetrics: [...byScope].map(([scope, metrics]) => ({
              scope: { name: scope },
              metrics,
            })),
          },
          errors: [],
        };
      },
    },
  };
}
