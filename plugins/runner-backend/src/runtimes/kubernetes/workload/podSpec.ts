import type { LaunchSpec, RuntimeArtifact } from '@internal/plugin-runner-node';

/*
 * The hardened pod template of every workload: non-root (kubelet-verified),
 * no privilege escalation, no capabilities, the runtime's default seccomp
 * profile, no service-account token, no service links, requests and limits
 * from the component's resource limits, the health path as a readiness
 * probe. The same rules as the Docker runtime's hardening.
 */

export interface PodSpecOptions {
  /** UID (and GID) for images whose USER is not a numeric non-root user. */
  fallbackUser: number;
  /** A Secret of type dockerconfigjson in the namespace, for private registries. */
  imagePullSecret?: string;
  /** The Secret holding the component's secret env, when it has any. */
  secretName?: string;
  restartPolicy: 'Always' | 'Never';
}

/** The USER of an image as kubelet sees it: a numeric uid (verifiable), else undefined. */
export function numericUser(
  user: string | undefined,
): { uid: number; gid?: number } | undefined {
  const match = /^(\d+)(?::(\d+))?$/.exec(user ?? '');
  if (!match) return undefined;
  return {
    uid: Number(match[1]),
    gid: match[2] === undefined ? undefined : Number(match[2]),
  };
}

/** Kubernetes quantities: bytes stay bytes, NanoCpus become millicores (at least 1m). */
function cpuQuantity(nanoCpus: number): string {
  return `${Math.max(1, Math.round(nanoCpus / 1e6))}m`;
}

function resources(spec: LaunchSpec['resources']) {
  const limits = {
    memory: String(spec.memoryBytes),
    cpu: cpuQuantity(spec.nanoCpus),
  };
  return {
    limits,
    requests: {
      memory: String(spec.requests?.memoryBytes ?? spec.memoryBytes),
      cpu: cpuQuantity(spec.requests?.nanoCpus ?? spec.nanoCpus),
    },
  };
}

function readinessProbe(spec: LaunchSpec) {
  const port = spec.ports.find(p => p.protocol === 'tcp')?.containerPort;
  if (!spec.healthPath || port === undefined) return undefined;
  return {
    httpGet: { path: spec.healthPath, port },
    periodSeconds: 2,
    timeoutSeconds: 1,
    failureThreshold: 3,
  };
}

export function podSpec(
  artifact: RuntimeArtifact,
  spec: LaunchSpec,
  options: PodSpecOptions,
): Record<string, unknown> {
  const user = numericUser(artifact.user);
  // kubelet refuses (CreateContainerConfigError) a root or named USER under
  // runAsNonRoot; such images run as the fallback user instead.
  const runAs =
    user && user.uid !== 0
      ? {}
      : { runAsUser: options.fallbackUser, runAsGroup: options.fallbackUser };
  const probe = readinessProbe(spec);
  return {
    restartPolicy: options.restartPolicy,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    terminationGracePeriodSeconds: spec.stopTimeoutSeconds,
    securityContext: {
      runAsNonRoot: true,
      ...runAs,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    ...(options.imagePullSecret
      ? { imagePullSecrets: [{ name: options.imagePullSecret }] }
      : {}),
    containers: [
      {
        name: 'app',
        image: artifact.image,
        imagePullPolicy: 'IfNotPresent',
        env: Object.entries(spec.env).map(([name, value]) => ({
          name,
          value,
        })),
        ...(options.secretName
          ? { envFrom: [{ secretRef: { name: options.secretName } }] }
          : {}),
        ports: spec.ports.map(p => ({
          containerPort: p.containerPort,
          protocol: p.protocol.toUpperCase(),
        })),
        ...(probe ? { readinessProbe: probe } : {}),
        resources: resources(spec.resources),
        securityContext: {
          allowPrivilegeEscalation: false,
          privileged: false,
          capabilities: { drop: ['ALL'] },
          readOnlyRootFilesystem: spec.readOnlyRootFilesystem,
        },
        // A read-only root keeps /tmp writable, as the Docker runtime's tmpfs does.
        ...(spec.readOnlyRootFilesystem
          ? { volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }] }
          : {}),
      },
    ],
    ...(spec.readOnlyRootFilesystem
      ? {
          volumes: [
            { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
          ],
        }
      : {}),
  };
}
