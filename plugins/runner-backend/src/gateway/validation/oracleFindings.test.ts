import {
  renderGatewayFinding,
  type GatewayFinding,
} from '@internal/plugin-runner-common';
import { sharedCrdRegistry } from '../__testUtils__/shared';
import { KUBERNETES_FORMATS } from './formats';
import { ObjectValidator } from './ObjectValidator';

/*
 * What the API server oracle (apiServerOracle.test.ts) found the validator
 * getting wrong, kept as offline checks: each case quotes what Kubernetes
 * v1.35 answered to a dry-run create of the same object.
 */

jest.setTimeout(120_000);

const errors = (findings: GatewayFinding[]) =>
  findings.filter(f => f.severity === 'error').map(renderGatewayFinding);

const route = (changes: Record<string, unknown> = {}) => ({
  apiVersion: 'aigateway.envoyproxy.io/v1beta1',
  kind: 'AIGatewayRoute',
  metadata: { name: 'r', namespace: 'team-a' },
  spec: {
    parentRefs: [
      { name: 'gw', kind: 'Gateway', group: 'gateway.networking.k8s.io' },
    ],
    rules: [{ backendRefs: [{ name: 'b' }] }],
  },
  ...changes,
});

const secret = (changes: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 's', namespace: 'team-a' },
  stringData: { apiKey: 'x' },
  ...changes,
});

describe('what the API server oracle found', () => {
  let validator: ObjectValidator;
  beforeAll(async () => {
    validator = new ObjectValidator(await sharedCrdRegistry());
  });
  const check = (object: unknown, oldObject?: Record<string, unknown>) =>
    errors(validator.validate(object, { oldObject }));

  it('ignores status on create and keeps the stored one on update (status subresource)', () => {
    // API server: accepted; status is dropped before validation.
    expect(check(route({ status: 'not an object' }))).toEqual([]);
    expect(
      check(route({ status: 'not an object' }), route({ status: {} })),
    ).toEqual([]);
  });

  it('refuses a whole number beyond int64 as a number', () => {
    const object = route();
    (object.spec.rules[0].backendRefs[0] as any).weight = 2 ** 64;
    // API server: `…weight in body must be of type integer: "number"`
    expect(check(object)).toEqual([
      expect.stringContaining('must be of type integer: "number"'),
    ]);
  });

  it('decodes metadata as Go does: null is empty, annotations must be strings', () => {
    const meta = (extra: Record<string, unknown>) =>
      route({ metadata: { name: 'r', namespace: 'team-a', ...extra } });
    // API server: accepted (null decodes to "" / no map).
    expect(check(meta({ labels: { a: null } }))).toEqual([]);
    expect(check(meta({ labels: null, annotations: { a: null } }))).toEqual([]);
    // API server: 400 `cannot unmarshal number into … ObjectMeta.annotations of type string`
    expect(check(meta({ annotations: { a: 7 } }))).toHaveLength(1);
  });

  it('checks finalizers: qualified names, and standard or domain-qualified ones on built-in kinds', () => {
    const withFinalizers = (finalizers: unknown) => ({
      name: 'r',
      namespace: 'team-a',
      finalizers,
    });
    // API server: `metadata.finalizers: Invalid value: "bad finalizer!": name part must consist of …`
    expect(
      check(route({ metadata: withFinalizers(['bad finalizer!']) })),
    ).toHaveLength(1);
    // A custom resource may use a finalizer without a domain (a warning there).
    expect(check(route({ metadata: withFinalizers(['oracle']) }))).toEqual([]);
    // API server: `name is neither a standard finalizer name nor is it fully qualified`
    expect(check(secret({ metadata: withFinalizers(['oracle']) }))).toEqual([
      expect.stringContaining('neither a standard finalizer name'),
    ]);
    expect(check(secret({ metadata: withFinalizers(['orphan']) }))).toEqual([]);
    // API server: 400 `cannot unmarshal string into … ObjectMeta.finalizers of type []string`
    expect(check(route({ metadata: withFinalizers('a/b') }))).toHaveLength(1);
  });

  it("checks uri as Go's url.ParseRequestURI and date-time as strfmt.IsDateTime do", () => {
    // Each value with the API server's verdict on it (format-edge mutations).
    const uris: Record<string, boolean> = {
      'https://': true,
      '/a b': true,
      '*': true,
      'x:': true,
      'https://例え.jp/': true,
      'https://example.com/%e9#frag': true,
      '/%zz': false,
      'http://ex%41mple.com': false,
      'https://u%zz@example.com/': false,
      'https://example.com/\x7f': false,
      'https://example.com:80a/': false,
      '1http://example.com': false,
    };
    const dateTimes: Record<string, boolean> = {
      '2024-01-01t00:00:00z': true,
      '2024-01-01T00:00:00,5Z': true,
      '2024-01-01T00:00:00Ztrash': true,
      '2024-01-01T00:00:00+99:99': true,
      '2024-01-01 00:00:00Z': false,
      '2024-01-01T00:00:00': false,
      '2024-01-01T00:00:00+0530': false,
      '2024-01-01T24:00:00Z': false,
      '2024-12-31T23:59:60Z': false,
    };
    const verdicts = (format: string, values: Record<string, boolean>) =>
      Object.fromEntries(
        Object.keys(values).map(v => [v, KUBERNETES_FORMATS[format](v)]),
      );
    expect(verdicts('uri', uris)).toEqual(uris);
    expect(verdicts('date-time', dateTimes)).toEqual(dateTimes);
    // `must be of type byte: ""`
    expect(KUBERNETES_FORMATS.byte('')).toBe(false);
  });

  it('checks the rest of ObjectMeta: generateName, timestamps, generation, ownerReferences', () => {
    const meta = (extra: Record<string, unknown>) => ({
      name: 'r',
      namespace: 'team-a',
      ...extra,
    });
    const owner = { apiVersion: 'v1', kind: 'ConfigMap', name: 'c', uid: 'u' };
    // Each with what the API server answered.
    const cases: Array<[Record<string, unknown>, boolean]> = [
      [{ generateName: 'oracle-' }, true],
      [{ generateName: 'Bad_' }, false], // metadata.generateName: Invalid value: "Bad_": a lowercase RFC 1123 subdomain …
      [{ creationTimestamp: '2024-01-01T00:00:00.5+05:30' }, true],
      [{ creationTimestamp: null }, true],
      [{ creationTimestamp: 'yesterday' }, false], // 400 parsing time "yesterday" …
      [{ creationTimestamp: '2024-02-30T00:00:00Z' }, false], // 400 day out of range
      [{ creationTimestamp: '2024-01-01T24:00:00Z' }, false], // 400 hour out of range
      [{ generation: -1 }, true], // a custom resource's generation is the server's
      [{ ownerReferences: [owner] }, true],
      [{ ownerReferences: [{ kind: 'ConfigMap', name: 'c' }] }, false], // version must not be empty, uid: must not be empty
      [
        {
          ownerReferences: [
            { ...owner, controller: true },
            { ...owner, name: 'd', uid: 'v', controller: true },
          ],
        },
        false, // Only one reference can have Controller set to true
      ],
    ];
    for (const [extra, accepted] of cases) {
      expect([
        extra,
        check(route({ metadata: meta(extra) })).length === 0,
      ]).toEqual([extra, accepted]);
    }
    // metadata.generation: Invalid value: -1: must be greater than or equal to 0
    expect(check(secret({ metadata: meta({ generation: -1 }) }))).toHaveLength(
      1,
    );
  });

  it('checks a Secret as ValidateSecret does: immutable, null values, per-type keys', () => {
    // API server: 400 `cannot unmarshal string into Go struct field Secret.immutable of type bool`
    expect(check(secret({ immutable: 'true' }))).toHaveLength(1);
    // API server: accepted.
    expect(
      check(secret({ data: { a: null }, stringData: { b: null } })),
    ).toEqual([]);
    // API server: `[data[tls.crt]: Required value, data[tls.key]: Required value]`
    expect(check(secret({ type: 'kubernetes.io/tls' }))).toEqual([
      'data[tls.crt]: Required value',
      'data[tls.key]: Required value',
    ]);
    expect(
      check(
        secret({
          type: 'kubernetes.io/tls',
          data: { 'tls.crt': 'Yw==' },
          stringData: { 'tls.key': 'k' },
        }),
      ),
    ).toEqual([]);
    // API server: `data[username]: Required value, data[password]: Required value`
    expect(check(secret({ type: 'kubernetes.io/basic-auth' }))).toHaveLength(2);
    // API server: `data[ssh-privatekey]: Required value` (an empty key counts as missing)
    expect(
      check(
        secret({
          type: 'kubernetes.io/ssh-auth',
          stringData: { 'ssh-privatekey': '' },
        }),
      ),
    ).toHaveLength(1);
    // API server: `json: cannot unmarshal array into Go value of type map[string]interface {}`
    const docker = (value: string) =>
      check(
        secret({
          type: 'kubernetes.io/dockercfg',
          stringData: { '.dockercfg': value },
        }),
      );
    expect(docker('[]')).toHaveLength(1);
    expect(docker('{} x')).toHaveLength(1);
    expect(docker('null')).toEqual([]);
    // API server: `metadata.annotations[kubernetes.io/service-account.name]: Required value`
    expect(
      check(secret({ type: 'kubernetes.io/service-account-token' })),
    ).toEqual([
      'metadata.annotations[kubernetes.io/service-account.name]: Required value',
    ]);
  });
});
