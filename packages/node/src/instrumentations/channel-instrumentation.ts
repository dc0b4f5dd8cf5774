import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import type { Instrumentation, InstrumentationConfig } from '@opentelemetry/instrumentation';

/** A diagnostics-channel subscriber. */
export type ChannelHandler = (message: unknown, name: string | symbol) => void;

/** What one of Strata's diagnostics-channel instrumentations is made of. */
export interface ChannelInstrumentationSpec {
  /** Scope name and version its spans and metrics are reported under. */
  name: string;
  version: string;
  /** Channels and their handlers, subscribed while enabled. */
  channels: readonly (readonly [string, ChannelHandler])[];
  /** Take up the providers given so far (undefined: the global ones): at enable and at each change. */
  refresh(
    tracerProvider: TracerProvider | undefined,
    meterProvider: MeterProvider | undefined,
  ): void;
  /** Work done at enable before subscribing (a patch); returns its undo, run at disable after unsubscribing. */
  onEnable?: () => () => void;
}

/** An `Instrumentation` that `registerInstrumentations` accepts, also usable on its own. */
export interface ChannelInstrumentation extends Instrumentation<InstrumentationConfig> {
  /** Subscribe to the channels; providers given here replace those set before. */
  enable(tracerProvider?: TracerProvider, meterProvider?: MeterProvider): void;
  /** Unsubscribe; requests already started still end their spans. */
  disable(): void;
}

const nothing = () => {};

/**
 * The `Instrumentation` around a set of channel handlers: no module patching, so enable and
 * disable only subscribe and unsubscribe, and provider changes reach the handlers through
 * `refresh`.
 */
export function createChannelInstrumentation(
  spec: ChannelInstrumentationSpec,
): ChannelInstrumentation {
  let tracerProvider: TracerProvider | undefined;
  let meterProvider: MeterProvider | undefined;
  let enabled = false;
  let undo = nothing;
  const refresh = () => spec.refresh(tracerProvider, meterProvider);
  return {
    instrumentationName: spec.name,
    instrumentationVersion: spec.version,
    enable(tracer?: TracerProvider, meter?: MeterProvider) {
      if (tracer !== undefined) tracerProvider = tracer;
      if (meter !== undefined) meterProvider = meter;
      refresh();
      if (enabled) return;
      enabled = true;
      undo = spec.onEnable?.() ?? nothing;
      for (const [name, handler] of spec.channels) subscribe(name, handler);
    },
    disable() {
      if (!enabled) return;
      enabled = false;
      for (const [name, handler] of spec.channels) unsubscribe(name, handler);
      undo();
      undo = nothing;
    },
    setTracerProvider(provider: TracerProvider) {
      tracerProvider = provider;
      refresh();
    },
    setMeterProvider(provider: MeterProvider) {
      meterProvider = provider;
      refresh();
    },
    // `registerInstrumentations` calls enable() only when this says disabled.
    getConfig(): InstrumentationConfig {
      return { enabled };
    },
    setConfig() {},
  };
}
