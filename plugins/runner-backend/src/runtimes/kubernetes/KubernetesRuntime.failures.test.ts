import { CoreV1Api } from '@kubernetes/client-node';
import {
  isRuntimeError,
  type LaunchSpec,
  type RuntimeArtifact,
  type RuntimeObservation,
} from '@internal/plugin-runner-node';
import { isCategorizedError } from '@internal/plugin-runner-common';
import {
  adminKubeConfig,
  describeWithCluster,
} from '../../kubernetes/__testUtils__/testCluster';
import { exampleSource } from './__testUtils__/imageBuilder';
import { leftovers } from './__testUtils__/leftovers';
import { observationWhere } from './__testUtils__/observations';
import {
  specFor,
  testRuntime,
  type TestRuntime,
} from './__testUtils__/testRuntime';

/*
 * Every way a workload fails on the real cluster ends as one categorized
 * error with its remediation: the kubelet's, the scheduler's, the quota's
 * and the API server's own words in the detail. Each case removes what it
 * started, so the two shared cores stay free for the next.
 */

jest.setTimeout(240_000);

const build = { dockerfile: 'Dockerfile', buildArgs: {}, timeoutMs: 120_000 };

describeWithCluster('KubernetesRuntime: failures', () => {
  let t: TestRuntime;
  const artifacts = new Map<string, RuntimeArtifact>();

  beforeAll(async () => {
    // `default` is allowed by config but not bound by RBAC: a forbidden namespace.
    t = await testRuntime('rt-failures', { extraNamespaces: ['default'] });
  });
  afterAll(() => t?.close());

  async function artifactOf(example: string): Promise<RuntimeArtifact> {
    if (!artifacts.has(example)) {
      artifacts.set(
        example,
        await t.runtime.prepare(exampleSource(example), { build }),
      );
    }
    return artifacts.get(example)!;
  }

  /** Launches, waits for the failed observation, removes (verified), returns it. */
  async function failureOf(
    artifact: RuntimeArtifact,
    spec: LaunchSpec,
    timeoutMs = 60_000,
  ): Promise<RuntimeObservation> {
    const { handle } = await t.runtime.launch(artifact, spec);
    try {
      const failed = await observationWhere(
        t.runtime,
        handle,
        o => o.state === 'failed',
        timeoutMs,
      );
      expect(isCategorizedError(failed.failure)).toBe(true);
      return failed;
    } finally {
      await t.runtime.remove(handle);
      expect(await leftovers(t.namespace, spec.instanceId)).toEqual([]);
    }
  }

  it("an image the registry does not have: K8S_IMAGE_PULL_FAILED with the kubelet's error", async () => {
    const hello = await artifactOf('hello-http');
    const missing = {
      ...hello,
      image: `127.0.0.1:5001/backstage-runner/not-pushed@sha256:${'0'.repeat(
        64,
      )}`,
    };
    const failed = await failureOf(
      missing,
      specFor('not-pushed', t.installationId),
    );
    expect(failed.failure).toMatchObject({
      code: 'K8S_IMAGE_PULL_FAILED',
      category: 'image',
      origin: 'user',
    });
    expect(failed.failure!.detail).toMatch(/ErrImagePull|ImagePullBackOff/);
    expect(failed.failure!.detail).toContain('not-pushed@sha256:0000');
    expect(failed.failure!.remediation).toContain('cluster `test`');
    expect(failed.units[0].reason).toMatch(/ErrImagePull|ImagePullBackOff/);
  });

  it('a container that keeps exiting: K8S_CRASH_LOOP with the last exit code', async () => {
    const failed = await failureOf(
      await artifactOf('exits-early'),
      specFor('exits-early', t.installationId, { env: { WORK_SECONDS: '0' } }),
    );
    expect(failed.failure).toMatchObject({
      code: 'K8S_CRASH_LOOP',
      category: 'container',
    });
    expect(failed.failure!.userMessage).toContain('exit code 3');
    expect(failed.failure!.detail).toMatch(
      /CrashLoopBackOff.*exit code 3 \(Error\)/,
    );
    expect(failed.restarts).toBeGreaterThanOrEqual(1);
    expect(failed.exit).toMatchObject({ code: 3, oomKilled: false });
  });

  it('a container over its memory limit: K8S_OOM_KILLED', async () => {
    const failed = await failureOf(
      await artifactOf('memory-hog'),
      specFor('memory-hog', t.installationId, {
        env: { HOG_DELAY: '0', HOG_MB: '256' },
        resources: {
          memoryBytes: 24 * 1024 * 1024,
          nanoCpus: 100_000_000,
          pidsLimit: 64,
        },
      }),
    );
    expect(failed.failure).toMatchObject({
      code: 'K8S_OOM_KILLED',
      category: 'oom',
    });
    expect(failed.failure!.detail).toContain(
      `memory limit ${24 * 1024 * 1024} bytes`,
    );
    expect(failed.failure!.remediation).toContain(
      'runner.components.memory-hog.docker.resourceLimits.memory',
    );
  });

  it("requests larger than the node: K8S_UNSCHEDULABLE with the scheduler's reason", async () => {
    const failed = await failureOf(
      await artifactOf('hello-http'),
      specFor('too-big', t.installationId, {
        resources: {
          memoryBytes: 1024 ** 4,
          nanoCpus: 100_000_000,
          pidsLimit: 64,
        },
      }),
    );
    expect(failed.failure).toMatchObject({
      code: 'K8S_UNSCHEDULABLE',
      category: 'resource-limit',
    });
    expect(failed.failure!.userMessage).toMatch(
      /0\/\d+ nodes are available: .*Insufficient memory/,
    );
    expect(failed.units[0]).toMatchObject({
      phase: 'pending',
      reason: 'Unschedulable',
    });
  });

  it('a namespace the runner is not bound in: K8S_FORBIDDEN naming it, and nothing created', async () => {
    const spec = specFor('hello-http', t.installationId, {
      placement: { namespace: 'default' },
    });
    const error = await t.runtime
      .launch(await artifactOf('hello-http'), spec)
      .catch(e => e);
    expect(isRuntimeError(error)).toBe(true);
    expect(error.failure).toMatchObject({
      code: 'K8S_FORBIDDEN',
      category: 'kubernetes',
    });
    expect(error.failure.userMessage).toContain('may not create Deployment');
    expect(error.failure.userMessage).toContain('namespace default');
    expect(error.failure.detail).toContain(
      'cannot create resource "deployments"',
    );
    expect(error.failure.remediation).toContain('docs/kubernetes-rbac.md');
    expect(await leftovers('default', spec.instanceId)).toEqual([]);
  });

  it('a namespace outside the configured ones: CONFIG_INVALID naming the key', async () => {
    const spec = specFor('hello-http', t.installationId, {
      placement: { namespace: 'kube-system' },
    });
    const error = await t.runtime
      .launch(await artifactOf('hello-http'), spec)
      .catch(e => e);
    expect(error.failure).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(error.failure.remediation).toContain(
      'runner.components.hello-http.namespace',
    );
  });

  it('a run-to-completion job past its run timeout: K8S_JOB_DEADLINE_EXCEEDED', async () => {
    const failed = await failureOf(
      await artifactOf('hello-http'),
      specFor('hello-job', t.installationId, {
        mode: 'job',
        runTimeoutMs: 2_000,
      }),
    );
    expect(failed.failure).toMatchObject({
      code: 'K8S_JOB_DEADLINE_EXCEEDED',
      category: 'timeout',
    });
    expect(failed.failure!.detail).toContain('activeDeadlineSeconds 2');
  });

  it('a job whose container exits with an error: K8S_JOB_FAILED with the exit code', async () => {
    const failed = await failureOf(
      await artifactOf('exits-early'),
      specFor('exits-early', t.installationId, {
        mode: 'job',
        env: { WORK_SECONDS: '0' },
      }),
    );
    expect(failed.failure).toMatchObject({ code: 'K8S_JOB_FAILED' });
    expect(failed.failure!.userMessage).toContain('exited with code 3');
  });

  it("a full ResourceQuota: K8S_QUOTA_EXCEEDED from the ReplicaSet's FailedCreate", async () => {
    const core = adminKubeConfig().makeApiClient(CoreV1Api);
    await core.createNamespacedResourceQuota({
      namespace: t.namespace,
      body: {
        metadata: { name: 'tiny' },
        spec: { hard: { 'requests.memory': '1Mi' } },
      },
    });
    try {
      const failed = await failureOf(
        await artifactOf('hello-http'),
        specFor('hello-http', t.installationId),
      );
      expect(failed.failure).toMatchObject({
        code: 'K8S_QUOTA_EXCEEDED',
        category: 'resource-limit',
      });
      expect(failed.failure!.userMessage).toContain('exceeded quota: tiny');
      expect(failed.failure!.remediation).toContain(
        `kubectl describe resourcequota -n ${t.namespace}`,
      );
      expect(failed.units).toEqual([]);
    } finally {
      await core.deleteNamespacedResourceQuota({
        name: 'tiny',
        namespace: t.namespace,
      });
    }
  });
});
