import { readFileSync } from 'node:fs';
import { arch, hostname, type as osType } from 'node:os';
import type { Attributes } from '@opentelemetry/api';
import { SDK_INFO } from '@opentelemetry/core';
import type { StrataConfig } from '@strata/config';

const STRATA_VERSION: string = (require('../package.json') as { version: string }).version;

/**
 * Resource attributes: service, Strata as the distro, host, process, and the
 * container/Kubernetes facts that cost a file read or an environment lookup.
 * strata.yaml's `service.attributes` win over anything detected.
 */
export function buildResourceAttributes(
  config: StrataConfig,
  env: NodeJS.ProcessEnv = process.env,
): Attributes {
  const attributes: Attributes = {
    'service.name': config.service.name,
    // telemetry.sdk.name, .language and .version, as the SDK itself reports them.
    ...SDK_INFO,
    'telemetry.distro.name': 'strata',
    'telemetry.distro.version': STRATA_VERSION,
    'host.name': hostname(),
    'host.arch': normaliseArch(arch()),
    'os.type': osType().toLowerCase(),
    'process.pid': process.pid,
    'process.runtime.name': 'nodejs',
    'process.runtime.version': process.versions.node,
    'process.executable.name': 'node',
    ...kubernetesAttributes(env),
  };
  const containerId = readContainerId();
  if (containerId) attributes['container.id'] = containerId;
  return { ...attributes, ...config.service.attributes };
}

function normaliseArch(value: string): string {
  return value === 'x64' ? 'amd64' : value === 'ia32' ? 'x86' : value;
}

/** Pod facts from the downward-API variables users commonly set, and the service-account namespace file. */
function kubernetesAttributes(env: NodeJS.ProcessEnv): Attributes {
  if (!env.KUBERNETES_SERVICE_HOST) return {};
  const out: Attributes = {};
  const pod = env.K8S_POD_NAME ?? env.POD_NAME ?? env.HOSTNAME;
  if (pod) out['k8s.pod.name'] = pod;
  const namespace =
    env.K8S_NAMESPACE_NAME ??
    env.POD_NAMESPACE ??
    readTrimmed('/var/run/secrets/kubernetes.io/serviceaccount/namespace');
  if (namespace) out['k8s.namespace.name'] = namespace;
  if (env.K8S_POD_UID) out['k8s.pod.uid'] = env.K8S_POD_UID;
  if (env.K8S_NODE_NAME) out['k8s.node.name'] = env.K8S_NODE_NAME;
  return out;
}

const CONTAINER_ID = /([0-9a-f]{64})/;

/** The container id from cgroup v1 (`/proc/self/cgroup`) or v2 (`/proc/self/mountinfo`), if any. */
function readContainerId(): string | undefined {
  for (const file of ['/proc/self/cgroup', '/proc/self/mountinfo']) {
    const text = readTrimmed(file);
    if (!text) continue;
    for (const line of text.split('\n')) {
      if (!/docker|kubepods|containerd|crio|libpod/.test(line)) continue;
      const match = CONTAINER_ID.exec(line);
      if (match) return match[1];
    }
  }
  return undefined;
}

function readTrimmed(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}
