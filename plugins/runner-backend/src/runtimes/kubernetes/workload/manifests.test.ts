import type { LaunchSpec, RuntimeArtifact } from '@internal/plugin-runner-node';
import { serviceFor, workloadFor } from './manifests';
import { fromHandle, toHandle, workloadName, type WorkloadRef } from './names';

const artifact = (user?: string): RuntimeArtifact => ({
  runtime: 'kubernetes',
  image: '127.0.0.1:5001/backstage-runner/hello-http@sha256:abc',
  cacheKey: 'f'.repeat(64),
  buildSkipped: false,
  user,
});

const spec: LaunchSpec = {
  instanceId: '4f7d2a9c-1111-4222-8333-444455556666',
  entityRef: 'component:default/Hello_HTTP',
  entityName: 'Hello_HTTP',
  installationId: 'install-1',
  configHash: 'h',
  env: { GREETING: 'hi' },
  secretEnv: {},
  ports: [{ containerPort: 8080, protocol: 'tcp' }],
  healthPath: '/healthz',
  resources: {
    memoryBytes: 512 * 1024 ** 2,
    nanoCpus: 1.5e9,
    pidsLimit: 256,
    requests: { nanoCpus: 2.5e8 },
  },
  readOnlyRootFilesystem: false,
  stopTimeoutSeconds: 10,
};

const options = {
  fallbackUser: 65534,
  progressDeadlineSeconds: 600,
  jobTtlSeconds: 600,
};

function ref(kind: WorkloadRef['kind']): WorkloadRef {
  return {
    cluster: 'c',
    namespace: 'team-a',
    kind,
    name: workloadName(spec.entityName, spec.instanceId),
    instanceId: spec.instanceId,
  };
}

describe('workload manifests', () => {
  it('names workloads as DNS-1035 labels and round-trips handles', () => {
    expect(workloadName('Hello_HTTP', spec.instanceId)).toBe(
      'runner-hello-http-4f7d2a9c',
    );
    expect(workloadName('x'.repeat(80), spec.instanceId)).toHaveLength(61);
    expect(fromHandle(toHandle(ref('job')))).toEqual(ref('job'));
    expect(() => fromHandle({ runtime: 'docker', id: 'abc' })).toThrow(
      'not a handle of the Kubernetes runtime',
    );
  });

  it.each([
    ['10001:10001', undefined],
    ['10001', undefined],
    ['', 65534],
    ['0', 65534],
    ['0:0', 65534],
    ['app', 65534],
  ])(
    'USER %j runs as %s (kubelet verifies only numeric non-root users)',
    (user, runAsUser) => {
      const pod = workloadFor(ref('deployment'), spec, artifact(user), options)
        .spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.securityContext.runAsUser).toBe(runAsUser);
    },
  );

  it('takes requests and limits from the resource limits, in Kubernetes quantities', () => {
    const container = workloadFor(
      ref('deployment'),
      spec,
      artifact('1'),
      options,
    ).spec.template.spec.containers[0];
    expect(container.resources).toEqual({
      limits: { memory: String(512 * 1024 ** 2), cpu: '1500m' },
      requests: { memory: String(512 * 1024 ** 2), cpu: '250m' },
    });
  });

  it('gives a read-only root a writable /tmp, as the Docker runtime does', () => {
    const pod = workloadFor(
      ref('deployment'),
      { ...spec, readOnlyRootFilesystem: true },
      artifact('1'),
      options,
    ).spec.template.spec;
    expect(pod.containers[0].volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
    ]);
    expect(pod.volumes[0]).toMatchObject({
      name: 'tmp',
      emptyDir: { medium: 'Memory' },
    });
  });

  it('runs run-to-completion components as a Job with a deadline, a TTL and no retries', () => {
    const job = workloadFor(
      ref('job'),
      { ...spec, mode: 'job', runTimeoutMs: 90_500 },
      artifact('1'),
      options,
    );
    expect(job.kind).toBe('Job');
    expect(job.spec).toMatchObject({
      backoffLimit: 0,
      activeDeadlineSeconds: 91,
      ttlSecondsAfterFinished: 600,
    });
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.spec.template.metadata.labels).toEqual(job.metadata.labels);
  });

  it('labels the workload and its pods alike, with label-safe values', () => {
    const deployment = workloadFor(
      ref('deployment'),
      spec,
      artifact('1'),
      options,
    );
    expect(deployment.metadata.labels).toEqual({
      'backstage.io/kubernetes-id': 'Hello_HTTP',
      'app.kubernetes.io/name': 'Hello_HTTP',
      'app.kubernetes.io/managed-by': 'backstage-runner',
      'runner.backstage.io/instance-id': spec.instanceId,
      'runner.backstage.io/installation': 'install-1',
    });
    expect(deployment.spec.template.metadata.labels).toEqual(
      deployment.metadata.labels,
    );
    expect(
      deployment.metadata.annotations['runner.backstage.io/entity-ref'],
    ).toBe('component:default/Hello_HTTP');
    expect(
      serviceFor(ref('deployment'), { ...spec, ports: [] }, artifact()),
    ).toBeUndefined();
  });
});
