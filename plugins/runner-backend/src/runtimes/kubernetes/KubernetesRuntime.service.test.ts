import { AppsV1Api } from '@kubernetes/client-node';
import type {
  RuntimeArtifact,
  RuntimeHandle,
} from '@internal/plugin-runner-node';
import {
  adminKubeConfig,
  describeWithCluster,
} from '../../kubernetes/__testUtils__/testCluster';
import { docker, exampleSource } from './__testUtils__/imageBuilder';
import { leftovers } from './__testUtils__/leftovers';
import { observationWhere } from './__testUtils__/observations';
import {
  specFor,
  testRuntime,
  type TestRuntime,
} from './__testUtils__/testRuntime';
import { fetchWhenRouted } from '../../kubernetes/__testUtils__/fetchWhenRouted';

/*
 * hello-http on the real cluster through the whole runtime, as the service
 * account of docs/kubernetes-rbac.md: shipped to the registry, started,
 * served through its Service's ClusterIP, scaled, restarted, logged,
 * measured, stopped, adopted, removed with nothing left.
 */

jest.setTimeout(180_000);

const build = { dockerfile: 'Dockerfile', buildArgs: {}, timeoutMs: 120_000 };

describeWithCluster('KubernetesRuntime: a service', () => {
  let t: TestRuntime;
  let artifact: RuntimeArtifact;
  let handle: RuntimeHandle;
  let instanceId: string;

  beforeAll(async () => {
    t = await testRuntime('rt-service');
  });
  afterAll(() => t?.close());

  it('ships the image by content: pinned by digest, never :latest, not sent again', async () => {
    const source = exampleSource('hello-http');
    const log: string[] = [];
    artifact = await t.runtime.prepare(source, {
      build,
      onLog: l => log.push(l),
    });
    expect(artifact).toMatchObject({
      runtime: 'kubernetes',
      cacheKey: source.cacheKey,
      user: '10001:10001',
    });
    expect(artifact.image).toMatch(
      /^127\.0\.0\.1:5001\/backstage-runner\/hello-http@sha256:[0-9a-f]{64}$/,
    );
    const again = await t.runtime.prepare(source, { build });
    expect(again).toMatchObject({
      image: artifact.image,
      buildSkipped: true,
      pushSkipped: true,
    });

    // A new tag for the same image: pushed, but every layer is in the registry already.
    const retagged = {
      ...source,
      cacheKey: `${Date.now().toString(16)}${source.cacheKey}`,
    };
    const pushLog: string[] = [];
    const pushed = await t.runtime.prepare(retagged, {
      build,
      onLog: l => pushLog.push(l),
    });
    expect(pushed).toMatchObject({
      pushSkipped: false,
      imageId: artifact.imageId,
    });
    expect(pushLog.join('\n')).toMatch(
      /: 0 layers sent, \d+ already in the registry/,
    );
    // The extra local tag goes again. (The registry keeps its tag: it names
    // the same manifest as the first, which later tests pull.)
    await docker
      .getImage(
        `backstage-runner-test/hello-http:${retagged.cacheKey.slice(0, 12)}`,
      )
      .remove({ noprune: true });
  });

  it('starts: Deployment + Service, hardened, labelled, ready, and serves HTTP 200 through the ClusterIP', async () => {
    const spec = specFor('hello-http', t.installationId, {
      ports: [{ containerPort: 8080, protocol: 'tcp' }],
      healthPath: '/healthz',
      env: { GREETING: 'hello from kubernetes' },
      secretEnv: { API_TOKEN: 'not-in-the-deployment' },
      readOnlyRootFilesystem: true,
    });
    instanceId = spec.instanceId;
    const started = Date.now();
    const launched = await t.runtime.launch(artifact, spec);
    handle = launched.handle;
    const ready = await observationWhere(
      t.runtime,
      handle,
      o => o.state === 'running',
      60_000,
    );
    const startToReadyMs = Date.now() - started;
    // eslint-disable-next-line no-console
    console.log(`hello-http start → ready on Kubernetes: ${startToReadyMs} ms`);
    expect(ready).toMatchObject({
      replicas: { desired: 1, ready: 1 },
      restarts: 0,
    });
    expect(ready.units).toEqual([
      expect.objectContaining({
        ready: true,
        phase: 'running',
        node: 'runner-node-1',
      }),
    ]);

    const [endpoint] = launched.endpoints;
    expect(endpoint).toMatchObject({
      containerPort: 8080,
      protocol: 'tcp',
      hostPort: 8080,
    });
    expect(endpoint.hostIp).toMatch(/^10\.96\.0\.\d+$/);
    // kube-proxy programs the Service a moment after the pod is ready.
    const health = await fetchWhenRouted(
      `http://${endpoint.hostIp}:${endpoint.hostPort}/healthz`,
    );
    expect(health.status).toBe(200);
    const hello = await fetch(
      `http://${endpoint.hostIp}:${endpoint.hostPort}/cgi-bin/hello`,
    );
    expect(await hello.text()).toContain('hello from kubernetes');

    const apps = adminKubeConfig().makeApiClient(AppsV1Api);
    const deployment = await apps.readNamespacedDeployment({
      name: handle.id.split('/')[3],
      namespace: t.namespace,
    });
    const labels = {
      'backstage.io/kubernetes-id': 'hello-http',
      'app.kubernetes.io/managed-by': 'backstage-runner',
      'runner.backstage.io/instance-id': instanceId,
      'runner.backstage.io/installation': t.installationId,
    };
    expect(deployment.metadata?.labels).toMatchObject(labels);
    expect(deployment.spec?.template.metadata?.labels).toMatchObject(labels);
    const pod = deployment.spec!.template.spec!;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    // The image's USER is numeric and non-root: kubelet checks it, no override.
    expect(pod.securityContext?.runAsUser).toBeUndefined();
    expect(pod.containers[0].securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
    });
    expect(pod.containers[0].resources).toEqual({
      limits: { cpu: '100m', memory: String(32 * 1024 * 1024) },
      requests: { cpu: '100m', memory: String(32 * 1024 * 1024) },
    });
    expect(pod.containers[0].readinessProbe?.httpGet).toMatchObject({
      path: '/healthz',
      port: 8080,
    });
    expect(JSON.stringify(deployment.spec)).not.toContain(
      'not-in-the-deployment',
    );
  });

  it('scales to 3 and back to 1', async () => {
    await t.runtime.scale!(handle, 3);
    const three = await observationWhere(
      t.runtime,
      handle,
      o => o.state === 'running' && o.replicas.ready === 3,
      60_000,
    );
    expect(new Set(three.units.map(u => u.name)).size).toBe(3);
    await t.runtime.scale!(handle, 1);
    const one = await observationWhere(
      t.runtime,
      handle,
      o => o.state === 'running' && o.units.length === 1,
      60_000,
    );
    expect(one.replicas).toEqual({ desired: 1, ready: 1 });
  });

  it('restarts: a rollout replaces the pod, and logs and stats come from the pod APIs', async () => {
    const before = await observationWhere(
      t.runtime,
      handle,
      o => o.state === 'running',
      10_000,
    );
    await t.runtime.restart!(handle);
    const after = await observationWhere(
      t.runtime,
      handle,
      o =>
        o.state === 'running' &&
        o.units.length === 1 &&
        o.units[0].name !== before.units[0].name,
      60_000,
    );
    expect(after.units[0].ready).toBe(true);

    const lines = [];
    for await (const line of t.runtime.logs(handle, {
      follow: false,
      tail: 'all',
    }))
      lines.push(line);
    expect(lines).toContainEqual(
      expect.objectContaining({
        unit: after.units[0].name,
        line: expect.stringContaining('hello-http: serving /www on :8080'),
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      }),
    );

    const [sample] = await t.runtime.stats(handle);
    expect(sample).toMatchObject({ unit: after.units[0].name });
    expect(sample.memoryWorkingSetBytes).toBeGreaterThan(0);
    expect(sample.cpuUsageNanoSeconds).toBeGreaterThan(0);
  });

  it('stops (scale to 0, the workload kept) and is adopted by its labels', async () => {
    await t.runtime.stop(handle);
    const stopped = await observationWhere(
      t.runtime,
      handle,
      o => o.state === 'stopped',
      10_000,
    );
    expect(stopped).toMatchObject({
      reason: 'ScaledToZero',
      units: [],
      replicas: { desired: 0, ready: 0 },
    });

    const adopted = await t.runtime.adopt({ installationId: t.installationId });
    expect(adopted).toEqual([
      expect.objectContaining({
        handle,
        instanceId,
        entityRef: 'component:default/hello-http',
        configHash: 'test',
        observation: expect.objectContaining({ state: 'stopped' }),
      }),
    ]);
    expect(await t.runtime.adopt({ installationId: 'someone-else' })).toEqual(
      [],
    );
  });

  it('is removed with nothing left behind', async () => {
    await t.runtime.remove(handle);
    const gone = await observationWhere(
      t.runtime,
      handle,
      o => o.state === 'gone',
      10_000,
    );
    expect(gone.units).toEqual([]);
    expect(await leftovers(t.namespace, instanceId)).toEqual([]);
    // Removing again is not an error.
    await t.runtime.remove(handle);
  });
});
