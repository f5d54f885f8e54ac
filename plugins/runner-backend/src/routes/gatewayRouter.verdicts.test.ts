import request from 'supertest';
import {
  gatewayEntity,
  startGatewayBackend,
  type GatewayBackend,
} from '../gateway/__testUtils__/gatewayBackend';
import {
  docRbac,
  gatewayTestCluster,
  withoutVerb,
  type GatewayTestCluster,
} from '../gateway/__testUtils__/gatewayRbac';
import { namespaceSnapshot } from '../gateway/__testUtils__/namespaceSnapshot';
import { httpRouteInput } from '../gateway/__testUtils__/templateInputs';
import { readObject } from '../kubernetes/__testUtils__/adminObjects';
import {
  describeWithCluster,
  uniqueName,
} from '../kubernetes/__testUtils__/testCluster';

/*
 * What validate, import and apply say about a bundle, over REST with real
 * inputs: the three verdicts (valid, invalid, unverified: which kinds were
 * checked against no schema, and why), warnings instead of errors for what
 * works (an OpenAI-compatible upstream without credentials), a deprecated
 * BackendTLSPolicy version converted on import, and the bundle named the
 * same way on every route. The cluster is the real API server.
 */

jest.setTimeout(120_000);

const NAME = uniqueName('verdicts');
const ENTITY = `/api/runner/entities/component/default/${NAME}/gateway`;
const routeInput = {
  name: 'web',
  parentGateway: httpRouteInput.parentGateway,
  hostnames: ['web.example.com'],
  rules: httpRouteInput.rules,
};

describe('without a cluster', () => {
  it('answers unverified, naming each kind and why, when no CRD is loaded; valid with CRDs; invalid on an error', async () => {
    const bare = await startGatewayBackend({
      clusters: [],
      entities: [gatewayEntity(NAME, 'team-a')],
      crdDirectories: [],
    });
    const unverified = await request(bare.server)
      .post(`${ENTITY}/validate`)
      .send({ template: 'httproute', input: routeInput });
    expect(unverified.status).toBe(200);
    expect(unverified.body).toMatchObject({
      status: 'unverified',
      valid: false,
      unverifiedKinds: [
        {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'HTTPRoute',
          reason:
            'no CRD for HTTPRoute gateway.networking.k8s.io/v1 is loaded (schemas: none: no cluster and no runner.gateway.crdDirectories)',
        },
      ],
    });
    expect(
      unverified.body.findings.filter((f: any) => f.severity === 'error'),
    ).toEqual([]);

    const withCrds = await startGatewayBackend({
      clusters: [],
      entities: [gatewayEntity(NAME, 'team-a')],
    });
    const valid = await request(withCrds.server)
      .post(`${ENTITY}/validate`)
      .send({ template: 'httproute', input: routeInput });
    expect(valid.body).toMatchObject({
      status: 'valid',
      valid: true,
      unverifiedKinds: [],
    });
    const invalid = await request(withCrds.server)
      .post(`${ENTITY}/validate`)
      .send({
        template: 'httproute',
        input: { ...routeInput, hostnames: ['Not_A_Host'] },
      });
    expect(invalid.body).toMatchObject({
      status: 'invalid',
      valid: false,
      unverifiedKinds: [],
    });
    // An error beats unverified: without CRDs, a bad hostname is still invalid.
    const invalidUnchecked = await request(bare.server)
      .post(`${ENTITY}/validate`)
      .send({
        template: 'httproute',
        input: { ...routeInput, hostnames: ['Not_A_Host'] },
      });
    expect(invalidUnchecked.body.status).toBe('invalid');
  });

  it('names the bundle with ?bundle= on every route that takes one, as the finding says', async () => {
    const backend = await startGatewayBackend({
      clusters: [],
      entities: [gatewayEntity(NAME, 'team-a')],
    });
    const yaml =
      'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: web}\nspec: {parentRefs: [{name: gw}]}\n';
    const unnamed = await request(backend.server)
      .post(`${ENTITY}/validate`)
      .send({ yaml });
    expect(unnamed.body.status).toBe('invalid');
    expect(unnamed.body.findings).toEqual([
      expect.objectContaining({
        path: 'metadata.labels[runner.backstage.io/bundle]',
        message:
          'Required value: name the bundle with this label, or with ?bundle= on the request',
      }),
    ]);
    for (const path of ['validate', 'diff', 'export']) {
      const named = await request(backend.server)
        .post(`${ENTITY}/${path}?bundle=web`)
        .send({ yaml });
      expect([path, named.status]).toEqual([path, 200]);
    }
    const validated = await request(backend.server)
      .post(`${ENTITY}/validate?bundle=web`)
      .send({ yaml });
    expect(validated.body.status).toBe('valid');
    // The body's "bundle" still works, and may not name another.
    const inBody = await request(backend.server)
      .post(`${ENTITY}/validate`)
      .send({ yaml, bundle: 'web' });
    expect(inBody.body.status).toBe('valid');
    const both = await request(backend.server)
      .post(`${ENTITY}/validate?bundle=web`)
      .send({ yaml, bundle: 'other' });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toBe(
      `Invalid request: ?bundle=web and the body's "bundle" (other) differ; name the bundle once, with ?bundle=`,
    );
    const withTemplate = await request(backend.server)
      .post(`${ENTITY}/validate?bundle=web`)
      .send({ template: 'httproute', input: routeInput });
    expect(withTemplate.status).toBe(400);
    expect(withTemplate.body.error.message).toContain(
      'a template input names its bundle with "name"',
    );
  });
});

describeWithCluster('with the real API server', () => {
  let kube: GatewayTestCluster;
  let backend: GatewayBackend;
  const snapshot = () => namespaceSnapshot(kube.namespace);

  beforeAll(async () => {
    // The plugin may not read CRDs and has no directories: it checks nothing in-process.
    const rbac = docRbac();
    kube = await gatewayTestCluster('gw-verdicts', {
      ...rbac,
      read: withoutVerb(rbac.read, 'customresourcedefinitions', 'list'),
    });
    backend = await startGatewayBackend({
      clusters: [kube.cluster('one')],
      entities: [gatewayEntity(NAME, kube.namespace)],
      crdDirectories: [],
    });
  });
  afterAll(() => kube.remove());

  it('answers valid when the cluster dry run checked what no schema did, and applies it', async () => {
    const validated = await request(backend.server)
      .post(`${ENTITY}/validate`)
      .send({ template: 'httproute', input: routeInput });
    expect(validated.body).toMatchObject({
      status: 'valid',
      valid: true,
      unverifiedKinds: [],
      layers: { dryRun: 'ran on cluster one' },
    });
    expect(validated.body.layers.schema).toContain('none');
    const created = await request(backend.server)
      .post(`${ENTITY}/routes`)
      .send(routeInput);
    expect(created.status).toBe(201);
    await request(backend.server).delete(`${ENTITY}/routes/web`);
  });

  it('accepts an OpenAI schema on a self-hosted upstream without credentials, with a warning saying what will happen', async () => {
    const yaml = `
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: Backend
metadata: {name: vllm}
spec:
  endpoints: [{fqdn: {hostname: vllm.models.svc.cluster.local, port: 8000}}]
---
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: AIServiceBackend
metadata: {name: vllm}
spec:
  schema: {name: OpenAI}
  backendRef: {name: vllm, kind: Backend, group: gateway.envoyproxy.io}
---
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: AIGatewayRoute
metadata: {name: vllm}
spec:
  parentRefs: [{name: ai-gateway, kind: Gateway, group: gateway.networking.k8s.io}]
  rules:
  - matches: [{headers: [{type: Exact, name: x-ai-eg-model, value: llama-3}]}]
    backendRefs: [{name: vllm}]
`;
    const warning = expect.objectContaining({
      severity: 'warning',
      source: 'rule',
      object: expect.objectContaining({
        kind: 'AIServiceBackend',
        name: 'vllm',
      }),
      message: expect.stringContaining(
        'the AI Gateway will send its requests without credentials; that is right for a self-hosted OpenAI-compatible server that needs none',
      ),
    });
    const validated = await request(backend.server)
      .post(`${ENTITY}/validate?bundle=vllm`)
      .send({ yaml });
    expect(validated.body.status).toBe('valid');
    expect(validated.body.findings).toEqual(expect.arrayContaining([warning]));
    const imported = await request(backend.server)
      .post(`${ENTITY}/import?bundle=vllm`)
      .set('content-type', 'application/yaml')
      .send(yaml);
    expect(imported.status).toBe(200);
    expect(imported.body.items[0].warnings).toEqual(
      expect.arrayContaining([warning]),
    );
    expect(
      await readObject({
        apiVersion: 'aigateway.envoyproxy.io/v1beta1',
        kind: 'AIServiceBackend',
        namespace: kube.namespace,
        name: 'vllm',
      }),
    ).toBeDefined();
  });

  it('converts a BackendTLSPolicy v1alpha3 to v1 on import, and refuses one that does not convert, naming the field', async () => {
    const policy = (extra = '') => `
apiVersion: gateway.networking.k8s.io/v1alpha3
kind: BackendTLSPolicy
metadata: {name: vllm-tls}
spec:
  targetRefs: [{group: gateway.envoyproxy.io, kind: Backend, name: vllm}]
  validation:
    hostname: vllm.models.svc.cluster.local
    wellKnownCACertificates: System${extra}
`;
    const before = await snapshot();
    const refused = await request(backend.server)
      .post(`${ENTITY}/import?bundle=vllm`)
      .set('content-type', 'application/yaml')
      .send(policy('\n    ipAddresses: [10.0.0.1]'));
    expect(refused.status).toBe(400);
    expect(refused.body.error.findings).toEqual([
      expect.objectContaining({
        path: 'spec.validation.ipAddresses',
        line: 10,
        message: expect.stringMatching(
          /^Unsupported value: spec.validation.ipAddresses does not exist in BackendTLSPolicy gateway.networking.k8s.io\/v1, so this gateway.networking.k8s.io\/v1alpha3 object does not convert/,
        ),
      }),
    ]);
    expect(await snapshot()).toEqual(before);

    const note = expect.objectContaining({
      path: 'apiVersion',
      severity: 'warning',
      line: 2,
      message: expect.stringMatching(
        /^Converted from gateway.networking.k8s.io\/v1alpha3 to gateway.networking.k8s.io\/v1/,
      ),
    });
    const validated = await request(backend.server)
      .post(`${ENTITY}/validate?bundle=vllm`)
      .send({ yaml: policy() });
    expect(validated.body.status).toBe('valid');
    expect(validated.body.findings).toEqual(expect.arrayContaining([note]));
    const imported = await request(backend.server)
      .post(`${ENTITY}/import?bundle=vllm`)
      .set('content-type', 'application/yaml')
      .send(policy());
    expect(imported.status).toBe(200);
    expect(imported.body.items[0].warnings).toEqual(
      expect.arrayContaining([note]),
    );
    const stored = await readObject({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'BackendTLSPolicy',
      namespace: kube.namespace,
      name: 'vllm-tls',
    });
    expect(stored.spec.validation.hostname).toBe(
      'vllm.models.svc.cluster.local',
    );
    // A proposal with only a conversion note exports (no error), as v1.
    const proposal = await request(backend.server)
      .post(`${ENTITY}/export?bundle=vllm`)
      .send({ yaml: policy() });
    expect(proposal.status).toBe(200);
    expect(proposal.text).toContain(
      'apiVersion: gateway.networking.k8s.io/v1\nkind: BackendTLSPolicy',
    );
    const exported = await request(backend.server).get(
      `${ENTITY}/export?bundle=vllm`,
    );
    expect(exported.text).toContain(
      'apiVersion: gateway.networking.k8s.io/v1\nkind: BackendTLSPolicy',
    );
  });
});
