import { GATEWAY_PROVIDER_IDS } from '@internal/plugin-runner-common';
import { parseAllDocuments } from 'yaml';
import { SECRETS, openAIInput } from '../__testUtils__/templateInputs';
import type { KubernetesObject } from '../bundle';
import { buildTemplate, templateInputJsonSchema } from '../templates';
import { diffObjects } from './diff';
import {
  WRITE_ONLY_FIELDS,
  isRedactedSecret,
  keepLiveSecretValues,
  withKeptCredentials,
} from './keptCredentials';
import { SECRET_PLACEHOLDER } from './exportedSecrets';
import { parseImport, toYaml } from './yamlIO';

function openaiBundle(input: unknown = openAIInput): KubernetesObject[] {
  const built = buildTemplate('openai', input);
  if (!built.ok) throw new Error(JSON.stringify(built.findings));
  return built.bundle.objects;
}

function live(
  object: KubernetesObject,
  extra: Record<string, unknown> = {},
): KubernetesObject {
  return {
    ...object,
    metadata: {
      ...object.metadata,
      resourceVersion: '42',
      uid: 'u',
      generation: 1,
      creationTimestamp: '2026-11-26T00:00:00Z',
    },
    status: { conditions: [] },
    ...extra,
  };
}

const binding = {
  entityRef: 'component:default/hello-http',
  namespace: 'team-a',
};

describe('diffObjects', () => {
  it('names changed fields by path, ignores server fields and status, and lists deletions', () => {
    const [secret, backend, , , , route] = openaiBundle();
    const changed = {
      ...route,
      spec: { ...(route as any).spec, hostnames: ['ai.example.org'] },
    };
    const result = diffObjects(
      [backend, changed],
      [live(backend), live(route), live(secret)],
    );
    expect(result.map(r => `${r.object.kind}:${r.action}`)).toEqual([
      'Backend:unchanged',
      'AIGatewayRoute:update',
      'Secret:delete',
    ]);
    expect(result[1].changes).toEqual([
      {
        path: 'spec.hostnames[0]',
        op: 'replace',
        before: 'ai.example.com',
        after: 'ai.example.org',
      },
      { path: 'spec.hostnames[1]', op: 'remove', before: '*.ai.example.com' },
    ]);
  });

  it('shows Secret keys as "set", never values, and a sent value always as replaced', () => {
    const [secret] = openaiBundle();
    const stored = live({
      ...secret,
      stringData: undefined,
      data: {
        apiKey: Buffer.from(SECRETS.openaiKey).toString('base64'),
        old: 'eA==',
      },
    } as any);
    const [sent] = diffObjects([secret], [stored]);
    expect(sent.changes).toEqual([
      { path: 'data[apiKey]', op: 'replace', before: 'set', after: 'set' },
      { path: 'data[old]', op: 'remove', before: 'set' },
    ]);
    const [kept] = diffObjects(
      [{ ...secret, stringData: undefined, data: { apiKey: 'x' } } as any],
      [stored],
      {
        keptSecrets: new Set(['Secret/openai-credentials']),
      },
    );
    expect(kept.changes).toEqual([
      { path: 'data[old]', op: 'remove', before: 'set' },
    ]);
    expect(JSON.stringify([sent, kept])).not.toContain(SECRETS.openaiKey);
  });
});

describe('YAML export and import', () => {
  it('exports one document per object without server fields, status or secret values', () => {
    const objects = openaiBundle().map(o => live(o));
    const yaml = toYaml(objects, 'header line');
    expect(yaml.startsWith('# header line\n')).toBe(true);
    const docs = parseAllDocuments(yaml).map(d => d.toJS());
    expect(docs.map(d => d.kind)).toEqual([
      'Secret',
      'Backend',
      'BackendTLSPolicy',
      'AIServiceBackend',
      'BackendSecurityPolicy',
      'AIGatewayRoute',
    ]);
    // No fake value: a placeholder kubectl refuses, and how to fill it in.
    expect(docs[0].stringData).toBeUndefined();
    expect(docs[0].data).toEqual({ apiKey: SECRET_PLACEHOLDER });
    expect(yaml).not.toMatch(/:\s+set$/m);
    const secretName = docs[0].metadata.name;
    expect(yaml).toContain(
      `#   kubectl create secret generic ${secretName} --namespace team-a --from-literal=apiKey='<apiKey>'\n`,
    );
    expect(yaml).toMatch(
      new RegExp(
        `#   kubectl label secret ${secretName} --namespace team-a .*runner\\.backstage\\.io/bundle=`,
      ),
    );
    // Imported back as it is, the placeholders keep the cluster's values.
    expect(isRedactedSecret(docs[0])).toBe(true);
    expect(yaml).not.toContain(SECRETS.openaiKey);
    expect(yaml).not.toMatch(/resourceVersion|uid:|status:/);
  });

  it('adds the namespace and ownership marks, and refuses objects of another entity or namespace', () => {
    const yaml = [
      'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: plain\nspec: {}',
      'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: theirs\n  annotations:\n    runner.backstage.io/entity-ref: component:default/other\n',
      'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: elsewhere\n  namespace: team-b\n',
    ].join('\n---\n');
    const { objects, findings } = parseImport(yaml, binding, {
      bundle: 'imported',
    });
    expect(objects).toHaveLength(1);
    expect(objects[0].object.metadata).toMatchObject({
      namespace: 'team-a',
      labels: {
        'runner.backstage.io/managed-by': 'backstage-runner',
        'runner.backstage.io/bundle': 'imported',
        'runner.backstage.io/entity': expect.stringMatching(
          /^component\.default\.hello-http-/,
        ),
      },
      annotations: {
        'runner.backstage.io/entity-ref': 'component:default/hello-http',
      },
    });
    expect(findings.map(f => [f.document, f.line, f.path])).toEqual([
      // The line of the offending field.
      [1, 12, 'metadata.annotations[runner.backstage.io/entity-ref]'],
      [2, 19, 'metadata.namespace'],
    ]);
  });

  it('refuses an owner or bundle mark that is not a string, naming it, instead of failing on it', () => {
    const head = 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n';
    const { objects, findings } = parseImport(
      [
        `${head}metadata: {name: a, annotations: {runner.backstage.io/entity-ref: 5}}`,
        `${head}metadata: {name: b, labels: {runner.backstage.io/bundle: [x]}}`,
      ].join('\n---\n'),
      binding,
      { bundle: 'imported' },
    );
    expect(objects).toEqual([]);
    expect(findings.map(f => `${f.path}: ${f.message}`)).toEqual([
      "metadata.annotations[runner.backstage.io/entity-ref]: Invalid value: 5: must be a string, the owning entity's ref (component:default/hello-http)",
      'metadata.labels[runner.backstage.io/bundle]: Invalid value: ["x"]: must be a string, the bundle name',
    ]);
  });
});

describe('credentials kept from the cluster', () => {
  /** The JSON schema node at `path` under the credentials branch of `type`. */
  function schemaAt(provider: string, type: string, path: string): any {
    const root: any = templateInputJsonSchema(provider as never);
    const resolve = (node: any): any =>
      node?.$ref ? resolve(root.$defs?.[node.$ref.split('/').pop()]) : node;
    const credentials = resolve(root.properties.credentials);
    const branches: any[] = (
      credentials.oneOf ??
      credentials.anyOf ?? [credentials]
    ).map(resolve);
    let node = branches.find(b => b.properties?.type?.const === type);
    for (const key of path.split('.')) node = resolve(node?.properties?.[key]);
    return node;
  }

  it('knows every write-only field of every template (cross-checked with the input schemas)', () => {
    for (const provider of GATEWAY_PROVIDER_IDS) {
      for (const [type, fields] of Object.entries(
        WRITE_ONLY_FIELDS[provider],
      )) {
        for (const path of [...fields.required, ...fields.optional]) {
          expect([
            provider,
            type,
            path,
            schemaAt(provider, type, path)?.description,
          ]).toEqual([
            provider,
            type,
            path,
            expect.stringMatching(/write-only/i),
          ]);
        }
      }
    }
  });

  it('fills placeholders only when no value is sent, and then takes the live values', () => {
    const withValue = withKeptCredentials('openai', openAIInput);
    expect(withValue).toEqual({ input: openAIInput, keep: false });
    const { input, keep } = withKeptCredentials('openai', {
      ...openAIInput,
      credentials: { type: 'apiKey' },
    });
    expect(keep).toBe(true);
    const objects = openaiBundle(input);
    const liveSecret = {
      ...objects[0],
      stringData: undefined,
      data: { apiKey: 'c3Q=' },
    } as any;
    const kept = keepLiveSecretValues(objects, liveSecret);
    expect(kept.findings).toEqual([]);
    expect((kept.objects[0] as any).data).toEqual({ apiKey: 'c3Q=' });
    expect((kept.objects[0] as any).stringData).toBeUndefined();
    const missing = keepLiveSecretValues(objects, {
      ...liveSecret,
      data: { other: 'eA==' },
    });
    expect(missing.findings[0].message).toContain(
      'has no apiKey key; send the credentials',
    );
    expect(
      keepLiveSecretValues(objects, undefined).findings[0].message,
    ).toContain('does not exist in the cluster');
  });
});
