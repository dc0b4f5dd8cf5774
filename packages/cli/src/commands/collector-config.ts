import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, StrataConfigError, StrataConfigNotFoundError } from '@strata/config';
import { stringify } from 'yaml';
import type { Unmapped } from '../collector/policies';
import {
  COLLECTOR_DEFAULTS,
  type CollectorConfig,
  renderCollectorConfig,
} from '../collector/render';
import type { CommandIo } from '../io';

const HELP = `Usage: strata collector-config [file] [--out-dir dir] [--jaeger host:port] [--gateway dns-name]

Render strata.yaml's sampling as an OpenTelemetry Collector configuration in two tiers:
an agent (loadbalancing exporter, routing by trace id) and a gateway (tail_sampling
policies, exporting to Jaeger over OTLP).

  file               strata.yaml; else $STRATA_CONFIG, else ./strata.yaml
  --out-dir dir      write dir/agent.yaml and dir/gateway.yaml (else both to stdout)
  --jaeger h:p       Jaeger's OTLP gRPC endpoint (default ${COLLECTOR_DEFAULTS.jaeger})
  --gateway name     DNS name of the gateway instances (default ${COLLECTOR_DEFAULTS.gateway})
  --spans-per-trace n  turns the outlier budget (traces/s) into spans/s (default ${COLLECTOR_DEFAULTS.spansPerTrace})
  --help             show this help

Exit codes: 0 rendered, 1 invalid or missing strata.yaml, 2 bad usage.
`;

function header(tier: string, file: string | undefined, unmapped: Unmapped[]): string {
  const lines = [
    `OpenTelemetry Collector, ${tier} tier, rendered by \`strata collector-config\` from ${file ? path.basename(file) : 'defaults'}.`,
    'Services export every span to the agents (strata.yaml sampling.baseline: 1): the gateway decides.',
    ...(unmapped.length ? ['Not mapped one to one:'] : []),
    ...unmapped.map((u) => `- ${u.path}: ${u.note}`),
  ];
  return `${lines.map((l) => `# ${l}`).join('\n')}\n`;
}

function document(config: CollectorConfig): string {
  return stringify(config, { lineWidth: 0 });
}

/** `strata collector-config [file]`: print or write the agent and gateway collector configurations. */
export function collectorConfig(args: string[], io: CommandIo): number {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
    if (parsed.positionals.length > 1) throw new Error('one file at most');
  } catch (error) {
    io.err(`strata collector-config: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values } = parsed;
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  const spansPerTrace = Number(values['spans-per-trace'] ?? COLLECTOR_DEFAULTS.spansPerTrace);
  if (!(spansPerTrace >= 1)) {
    io.err(`strata collector-config: --spans-per-trace must be a number >= 1\n\n${HELP}`);
    return 2;
  }
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig({ env: io.env, cwd: io.cwd, file: parsed.positionals[0] });
  } catch (error) {
    if (!(error instanceof StrataConfigError || error instanceof StrataConfigNotFoundError))
      throw error;
    io.err(`${error.message}\n`);
    return 1;
  }
  const { agent, gateway, unmapped } = renderCollectorConfig(loaded.config, {
    jaeger: values.jaeger ?? COLLECTOR_DEFAULTS.jaeger,
    gateway: values.gateway ?? COLLECTOR_DEFAULTS.gateway,
    spansPerTrace,
  });
  const agentYaml = `${header('agent', loaded.file, [])}${document(agent)}`;
  const gatewayYaml = `${header('gateway', loaded.file, unmapped)}${document(gateway)}`;
  if (values['out-dir'] !== undefined) {
    const dir = path.resolve(io.cwd, values['out-dir']);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'agent.yaml'), agentYaml);
    writeFileSync(path.join(dir, 'gateway.yaml'), gatewayYaml);
    io.out(`wrote ${path.join(dir, 'agent.yaml')} and ${path.join(dir, 'gateway.yaml')}\n`);
  } else io.out(`${agentYaml}---\n${gatewayYaml}`);
  return 0;
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      'out-dir': { type: 'string' },
      jaeger: { type: 'string' },
      gateway: { type: 'string' },
      'spans-per-trace': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
