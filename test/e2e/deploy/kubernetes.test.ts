import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { parseConfig } from '@strata/config';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Service } from 'kubernetes-models/v1/Service';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { deployPath } from './helpers.js';

// Manifests are rendered by the real `kubectl kustomize` (Debian `kubectl`) and
// validated against the Kubernetes OpenAPI schemas of the `kubernetes-models` packages.

/** The schema class of each kind the overlays may contain; any other kind fails the test. */
const models: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'apps/v1/Deployment': Deployment,
  'apps/v1/DaemonSet': DaemonSet,
  'apps/v1/StatefulSet': StatefulSet,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};

interface Container {
  name: string;
  env?: { name: string; value?: string }[];
  ports?: { name?: string; containerPort: number }[];
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodTemplate {
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    containers: Container[];
    volumes?: {
      name: string;
      configMap?: { name: string };
      persistentVolumeClaim?: { claimName: string };
    }[];
  };
}
interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  spec?: {
    replicas?: number;
    template?: PodTemplate;
    selector?: Record<string, string> & { matchLabels?: Record<string, string> };
    clusterIP?: string;
    ports?: { name: string; port: number; targetPort: string | number }[];
    endpoints?: { port: string }[];
  };
}

const kubernetesDir = deployPath('kubernetes');
const overlays = ['dev', 'production'] as const;
const hasKubectl = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasKubectl && !process.env.CI)
  console.warn('deploy/kubernetes: skipped, kubectl not found (apt-get install kubectl)');

/** `kubectl kustomize <dir>` parsed into objects. */
async function render(dir: string): Promise<K8sObject[]> {
  const { stdout } = await promisify(execFile)('kubectl', ['kustomize', dir], {
    maxBuffer: 16 << 20,
  });
  return parseAllDocuments(stdout).map((doc) => doc.toJS() as K8sObject);
}

const workloads = (objects: K8sObject[]) =>
  objects.filter((o) => ['Deployment', 'DaemonSet', 'StatefulSet'].includes(o.kind));
const find = (objects: K8sObject[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name);
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);
/** Workloads whose pods a label selector picks. */
const selected = (objects: K8sObject[], selector: Record<string, string>) =>
  workloads(objects).filter((w) => matches(selector, w.spec?.template?.metadata.labels));
const envOf = (container: Container) =>
  Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value ?? '']));
/** The Service a `host:port` or URL names, if that Service has the port. */
function serviceAt(objects: K8sObject[], address: string) {
  const url = new URL(address.includes('://') ? address : `tcp://${address}`);
  const service = find(objects, 'Service', url.hostname.split('.')[0]);
  return service?.spec?.ports?.some((p) => p.port === Number(url.port)) ? service : undefined;
}
/** Strata-instrumented workloads: the pods Prometheus scrapes as Strata. */
const strataApps = (objects: K8sObject[]) =>
  workloads(objects).filter(
    (w) => w.spec?.template?.metadata.annotations?.['strata.dev/scrape'] === 'true',
  );
/** The strata.yaml a container reads through STRATA_CONFIG, from its ConfigMap volume. */
function strataYaml(objects: K8sObject[], template: PodTemplate, container: Container) {
  const file = envOf(container).STRATA_CONFIG;
  const mount = container.volumeMounts?.find((m) => path.dirname(file) === m.mountPath);
  const volume = template.spec.volumes?.find((v) => v.name === mount?.name);
  const configMap = find(objects, 'ConfigMap', volume?.configMap?.name ?? '');
  return { file, text: configMap?.data?.[path.basename(file)] };
}

describe.skipIf(!hasKubectl && !process.env.CI)('deploy/kubernetes', () => {
  const rendered = new Map<string, K8sObject[]>();
  beforeAll(async () => {
    if (!hasKubectl) throw new Error('kubectl not found: apt-get install kubectl');
    for (const overlay of overlays)
      rendered.set(overlay, await render(path.join(kubernetesDir, 'overlays', overlay)));
    rendered.set('base', await render(path.join(kubernetesDir, 'base')));
  });
  const each = (fn: (objects: K8sObject[], name: string) => void) => () => {
    for (const [name, objects] of rendered) fn(objects, name);
  };

  it(
    'every object validates against the Kubernetes OpenAPI schemas',
    each((objects, overlay) => {
      for (const object of objects) {
        const Model = models[`${object.apiVersion}/${object.kind}`];
        const where = `${overlay}: ${object.kind}/${object.metadata.name}`;
        expect(Model, `${where} has no schema here`).toBeDefined();
        expect(() => new Model(object as never).validate(), where).not.toThrow();
        // The schemas allow unknown fields; a strategic-merge directive left in the
        // output (`$patch`, `$retainKeys`) would reach the API server and be refused.
        expect(JSON.stringify(object), where).not.toMatch(
          /"\$(patch|retainKeys|setElementOrder|deleteFromPrimitiveList)/,
        );
      }
    }),
  );

  it('the schemas reject a malformed Deployment (the check can fail)', () => {
    const checkout = structuredClone(find(rendered.get('dev') ?? [], 'Deployment', 'checkout'));
    expect(() => new Deployment(checkout as never).validate()).not.toThrow();
    (checkout?.spec as Record<string, unknown>).replicas = 'three';
    expect(() => new Deployment(checkout as never).validate()).toThrow();
  });

  it(
    'puts every namespaced object in the overlay namespace',
    each((objects, overlay) => {
      if (overlay === 'base') return;
      const namespace = find(objects, 'Namespace', overlay === 'dev' ? 'strata-demo' : 'strata');
      expect(namespace, overlay).toBeDefined();
      for (const o of objects.filter((o) => o.kind !== 'Namespace'))
        expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe(namespace?.metadata.name);
    }),
  );

  it(
    'runs the example app under Strata, configured by a strata.yaml that parses',
    each((objects, overlay) => {
      expect(strataApps(objects).map((w) => w.metadata.name)).toContain('checkout');
      for (const app of strataApps(objects)) {
        const template = app.spec?.template as PodTemplate;
        for (const container of template.spec.containers) {
          const where = `${overlay}: ${app.metadata.name}/${container.name}`;
          const env = envOf(container);
          expect(env.NODE_OPTIONS, where).toMatch(/(^|\s)--require @strata\/node\/register(\s|$)/);
          const { file, text } = strataYaml(objects, template, container);
          expect(
            text,
            `${where}: STRATA_CONFIG=${file} is not in a mounted ConfigMap`,
          ).toBeDefined();
          const { config } = parseConfig(text ?? '', { file, env, cwd: kubernetesDir });
          expect(config.service.name, where).toBe(env.OTEL_SERVICE_NAME);
          // Prometheus scrapes the port named `metrics`: Strata must listen there.
          const metrics = container.ports?.find((p) => p.name === 'metrics');
          expect(config.exporters.metrics.prometheus, where).toEqual({
            host: '0.0.0.0',
            port: metrics?.containerPort,
          });
          expect(metrics?.containerPort).toBe(9464);
          // The effective endpoint (strata.yaml, else OTEL_EXPORTER_OTLP_ENDPOINT) is a Service here.
          const endpoint = config.exporters.otlp.endpoint;
          const target = serviceAt(objects, endpoint);
          expect(target, `${where}: OTLP endpoint ${endpoint}`).toBeDefined();
          const expected = overlay === 'production' ? 'strata-agent' : 'jaeger';
          expect(target?.metadata.name, where).toBe(expected);
          // Behind the collector tiers the gateway samples: the app must send it everything.
          expect(config.sampling.baseline, where).toBe(overlay === 'production' ? 1 : 0.1);
        }
      }
    }),
  );

  it(
    'every Service selects pods that have its target ports',
    each((objects, overlay) => {
      for (const service of objects.filter((o) => o.kind === 'Service')) {
        const where = `${overlay}: Service/${service.metadata.name}`;
        const pods = selected(objects, service.spec?.selector ?? {});
        expect(pods.length, where).toBeGreaterThan(0);
        for (const pod of pods)
          for (const port of service.spec?.ports ?? []) {
            const ports = pod.spec?.template?.spec.containers.flatMap((c) => c.ports ?? []) ?? [];
            expect(
              ports.some((p) => p.name === port.targetPort || p.containerPort === port.targetPort),
              `${where} port ${port.name}`,
            ).toBe(true);
          }
      }
    }),
  );

  it(
    'every ConfigMap and PersistentVolumeClaim a pod mounts is in the same render',
    each((objects, overlay) => {
      for (const workload of workloads(objects))
        for (const volume of workload.spec?.template?.spec.volumes ?? []) {
          const where = `${overlay}: ${workload.metadata.name} volume ${volume.name}`;
          if (volume.configMap)
            expect(find(objects, 'ConfigMap', volume.configMap.name), where).toBeDefined();
          if (volume.persistentVolumeClaim)
            expect(
              find(objects, 'PersistentVolumeClaim', volume.persistentVolumeClaim.claimName),
              where,
            ).toBeDefined();
        }
    }),
  );

  it('ships the repository’s Jaeger, Prometheus and collector configs unchanged', () => {
    const data = (objects: K8sObject[], prefix: string) =>
      objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith(`${prefix}-`))?.data;
    const source = (...parts: string[]) => readFileSync(deployPath(...parts), 'utf8');
    const dev = rendered.get('dev') ?? [];
    const production = rendered.get('production') ?? [];
    expect(data(dev, 'jaeger-config')?.['config.yaml']).toBe(
      source('compose', 'jaeger', 'config.yaml'),
    );
    for (const objects of [dev, production])
      expect(data(objects, 'prometheus-strata-scrape')?.['prometheus.yml']).toBe(
        source('prometheus', 'prometheus-kubernetes.yml'),
      );
    expect(data(production, 'strata-collector-agent')?.['config.yaml']).toBe(
      source('collector', 'agent.yaml'),
    );
    expect(data(production, 'strata-collector-gateway')?.['config.yaml']).toBe(
      source('collector', 'gateway.yaml'),
    );
  });

  it('dev keeps traces in Badger on the claim; production in OpenSearch, with no claim', () => {
    for (const overlay of overlays) {
      const objects = rendered.get(overlay) ?? [];
      const jaeger = find(objects, 'Deployment', 'jaeger')?.spec?.template as PodTemplate;
      const container = jaeger.spec.containers[0];
      const configMap = jaeger.spec.volumes?.find((v) => v.configMap)?.configMap?.name ?? '';
      const config = parse(find(objects, 'ConfigMap', configMap)?.data?.['config.yaml'] ?? '');
      const backends = Object.values(config.extensions.jaeger_storage.backends) as {
        badger?: { directories: { keys: string; values: string } };
        opensearch?: { server_urls: string[] };
      }[];
      expect(backends).toHaveLength(1);
      if (overlay === 'dev') {
        const data = container.volumeMounts?.find(
          (m) => jaeger.spec.volumes?.find((v) => v.name === m.name)?.persistentVolumeClaim,
        );
        expect(backends[0].badger?.directories.keys.startsWith(`${data?.mountPath}/`)).toBe(true);
        expect(backends[0].badger?.directories.values.startsWith(`${data?.mountPath}/`)).toBe(true);
      } else {
        // Every ${env:VAR} the config reads is set on the container.
        const urls = backends[0].opensearch?.server_urls ?? [];
        expect(urls.length).toBeGreaterThan(0);
        for (const url of urls) {
          const variable = url.match(/^\$\{env:(\w+)\}$/)?.[1];
          expect(new URL(variable ? envOf(container)[variable] : url).protocol).toMatch(
            /^https?:$/,
          );
        }
        expect(objects.filter((o) => o.kind === 'PersistentVolumeClaim')).toEqual([]);
        expect(find(objects, 'Deployment', 'jaeger')?.spec?.replicas).toBeGreaterThan(1);
      }
    }
  });

  it('production wires agent → headless gateway Service → Jaeger', () => {
    const objects = rendered.get('production') ?? [];
    const configOf = (workload: string) => {
      const template = find(
        objects,
        workload === 'strata-agent' ? 'DaemonSet' : 'Deployment',
        workload,
      )?.spec?.template as PodTemplate;
      const name = template.spec.volumes?.find((v) => v.configMap)?.configMap?.name ?? '';
      return parse(find(objects, 'ConfigMap', name)?.data?.['config.yaml'] ?? '');
    };
    const dns = configOf('strata-agent').exporters.loadbalancing.resolver.dns;
    const headless = serviceAt(objects, `${dns.hostname}:${dns.port}`);
    expect(headless?.spec?.clusterIP).toBe('None');
    expect(selected(objects, headless?.spec?.selector ?? {}).map((w) => w.metadata.name)).toEqual([
      'strata-gateway',
    ]);
    const exporters = configOf('strata-gateway').exporters as Record<string, { endpoint: string }>;
    const jaeger = Object.values(exporters).map((e) => serviceAt(objects, e.endpoint));
    expect(jaeger.map((s) => s?.metadata.name)).toEqual(['jaeger']);
  });

  it('production PodDisruptionBudgets and the ServiceMonitor select what exists', () => {
    const objects = rendered.get('production') ?? [];
    const budgets = objects.filter((o) => o.kind === 'PodDisruptionBudget');
    expect(budgets.length).toBeGreaterThanOrEqual(3);
    for (const budget of budgets) {
      const pods = selected(objects, budget.spec?.selector?.matchLabels ?? {});
      // A budget over a single replica would block every node drain.
      expect(
        pods.map((w) => w.spec?.replicas ?? 1),
        budget.metadata.name,
      ).toEqual([expect.any(Number)]);
      expect(pods[0].spec?.replicas, budget.metadata.name).toBeGreaterThan(1);
    }
    const monitor = find(objects, 'ServiceMonitor', 'strata');
    const services = objects.filter(
      (o) =>
        o.kind === 'Service' &&
        matches(monitor?.spec?.selector?.matchLabels ?? {}, o.metadata.labels),
    );
    expect(services.map((s) => s.metadata.name)).toEqual(['checkout']);
    for (const endpoint of monitor?.spec?.endpoints ?? [])
      expect(services[0].spec?.ports?.map((p) => p.name)).toContain(endpoint.port);
    // Clusters without prometheus-operator apply dev: no ServiceMonitor CRD needed there.
    expect((rendered.get('dev') ?? []).map((o) => o.kind)).not.toContain('ServiceMonitor');
  });
});
