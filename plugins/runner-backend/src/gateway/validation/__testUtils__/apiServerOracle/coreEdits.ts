import { setAt, type Edit, type Segment } from './edits';

/*
 * Mutations of what no CRD schema describes: ObjectMeta (every kind) and the
 * core Secret (ValidateSecret and its per-type rules).
 */

const edit = (
  kind: string,
  segments: Segment[],
  value: unknown,
  variant?: string,
): Edit => ({
  kind,
  segments,
  variant,
  apply: object => setAt(object, segments, value),
});

const LONG_ANNOTATION = 'x'.repeat(256 * 1024);

export function metadataEdits(): Edit[] {
  const name = ['metadata', 'name'];
  const labels = ['metadata', 'labels'];
  const annotations = ['metadata', 'annotations'];
  return [
    edit('metadata', name, 'Upper_Case', 'uppercase name'),
    edit('metadata', name, 'a'.repeat(254), '254-char name'),
    edit('metadata', name, 'a'.repeat(253), '253-char name'),
    edit('metadata', name, 'a'.repeat(64), '64-char name'),
    edit('metadata', name, 'dotted.name', 'dotted name'),
    edit('metadata', name, '-leading-dash', 'leading dash'),
    edit('metadata', name, 12, 'number name'),
    {
      kind: 'metadata',
      segments: name,
      variant: 'generateName only',
      apply: o => {
        const meta = o.metadata as Record<string, unknown>;
        delete meta.name;
        meta.generateName = 'oracle-';
      },
    },
    {
      kind: 'metadata',
      segments: name,
      variant: 'no name',
      apply: o => {
        delete (o.metadata as Record<string, unknown>).name;
      },
    },
    edit('metadata', [...labels, 'bad key!'], 'v', 'bad label key'),
    edit('metadata', [...labels, 'example.com/ok'], 'v', 'prefixed label'),
    edit('metadata', [...labels, `${'k'.repeat(64)}`], 'v', '64-char key'),
    edit('metadata', [...labels, 'oracle'], 'v'.repeat(64), '64-char value'),
    edit('metadata', [...labels, 'oracle'], '-v', 'bad label value'),
    edit('metadata', [...labels, 'oracle'], 7, 'number label value'),
    edit('metadata', [...labels, 'oracle'], null, 'null label value'),
    edit('metadata', labels, null, 'null labels'),
    edit('metadata', labels, 'a=b', 'labels string'),
    edit('metadata', [...annotations, 'bad key!'], 'v', 'bad annotation key'),
    edit('metadata', [...annotations, 'Example.com/Up'], 'v', 'upper prefix'),
    edit('metadata', [...annotations, 'big'], LONG_ANNOTATION, '256 KiB'),
    edit('metadata', [...annotations, 'oracle'], 7, 'number annotation'),
    edit('metadata', [...annotations, 'oracle'], null, 'null annotation'),
    edit('metadata', [...annotations, 'oracle'], true, 'boolean annotation'),
    edit(
      'metadata',
      ['metadata', 'finalizers'],
      ['example.com/oracle'],
      'finalizer',
    ),
    edit('metadata', ['metadata', 'finalizers'], ['bad finalizer!'], 'bad'),
    ...serverFieldEdits(),
    edit('metadata', ['metadata', 'finalizers'], ['oracle'], 'no domain'),
    edit('metadata', ['metadata', 'finalizers'], ['orphan'], 'standard'),
    edit('metadata', ['metadata', 'finalizers'], ['a/b', 'a/b'], 'twice'),
    edit('metadata', ['metadata', 'finalizers'], 'a/b', 'string'),
    edit('metadata', ['metadata', 'finalizers'], [7], 'number'),
    edit('metadata', ['metadata', 'finalizers'], [null], 'null item'),
    edit('metadata', ['metadata', 'finalizers'], ['a/b/c'], 'two slashes'),
  ];
}

/**
 * Fields the API server sets, as an imported YAML may carry them. (Not
 * metadata.namespace: another namespace than the request's is a request
 * error, 400, that the plugin never sends; the import refuses it first.)
 */
function serverFieldEdits(): Edit[] {
  const meta = (field: string, value: unknown, variant: string) =>
    edit('server-field', ['metadata', field], value, variant);
  return [
    meta('resourceVersion', '12345', 'resourceVersion'),
    meta('uid', '11111111-2222-3333-4444-555555555555', 'uid'),
    meta('creationTimestamp', '2024-01-01T00:00:00Z', 'creationTimestamp'),
    meta('creationTimestamp', 'yesterday', 'bad creationTimestamp'),
    meta('creationTimestamp', null, 'null creationTimestamp'),
    meta(
      'creationTimestamp',
      '2024-01-01t00:00:00z',
      'lowercase creationTimestamp',
    ),
    meta(
      'creationTimestamp',
      '2024-01-01T00:00:00.5+05:30',
      'fraction and offset',
    ),
    meta('creationTimestamp', '2024-01-01T24:00:00Z', 'hour 24'),
    meta('creationTimestamp', '2024-02-30T00:00:00Z', 'February 30'),
    meta('creationTimestamp', 7, 'number creationTimestamp'),
    ...['+24:00', '+25:00', '+05:60', '+05:61'].map(zone =>
      meta('creationTimestamp', `2024-01-01T00:00:00${zone}`, `offset ${zone}`),
    ),
    meta('deletionTimestamp', '2024-01-01T00:00:00Z', 'deletionTimestamp'),
    meta('deletionGracePeriodSeconds', 30, 'deletionGracePeriodSeconds'),
    meta('generation', 7, 'generation'),
    meta('generation', -1, 'negative generation'),
    meta('selfLink', '/apis/x', 'selfLink'),
    meta(
      'managedFields',
      [{ manager: 'x', operation: 'Apply' }],
      'managedFields',
    ),
    meta('managedFields', [{ operation: 'Bogus' }], 'bad managedFields'),
    meta(
      'ownerReferences',
      [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'c', uid: 'u' }],
      'ownerReference',
    ),
    meta(
      'ownerReferences',
      [{ kind: 'ConfigMap', name: 'c' }],
      'bad ownerReference',
    ),
    meta(
      'ownerReferences',
      [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: 'a',
          uid: 'u',
          controller: true,
        },
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: 'b',
          uid: 'v',
          controller: true,
        },
      ],
      'two controllers',
    ),
    meta('generateName', 'Bad_', 'bad generateName'),
    meta('generateName', 'g'.repeat(300), 'long generateName'),
    meta('unknownMetaField', 'x', 'unknown metadata field'),
  ];
}

export function secretEdits(): Edit[] {
  const type = (value: string) => edit('type', ['type'], value, value);
  const typed = (
    secretType: string,
    stringData: Record<string, string>,
    what: string,
  ): Edit => ({
    kind: 'type',
    segments: ['type'],
    variant: `${secretType} with ${what}`,
    apply: o => {
      o.type = secretType;
      o.stringData = stringData;
      delete o.data;
    },
  });
  return [
    edit('data-key', ['data', 'bad key!'], 'YQ==', 'bad key'),
    edit('data-key', ['data', '..dots'], 'YQ==', 'leading dots'),
    edit('data-key', ['data', 'k'.repeat(254)], 'YQ==', '254-char key'),
    edit('data-value', ['data', 'oracle'], 'not base64!', 'not base64'),
    edit('data-value', ['data', 'oracle'], 7, 'number'),
    edit('data-value', ['stringData', 'oracle'], 7, 'number stringData'),
    edit('data-value', ['stringData', 'oracle'], '', 'empty stringData'),
    edit('data-value', ['stringData', 'oracle'], null, 'null stringData'),
    edit('data-value', ['data', 'oracle'], null, 'null data'),
    edit('data', ['data'], null, 'null data map'),
    edit('data-size', ['data', 'big'], 'YWFh'.repeat(350_000), 'over 1 MiB'),
    edit('data', ['data'], 'not a map', 'data string'),
    edit('immutable', ['immutable'], 'true', 'string'),
    edit('immutable', ['immutable'], true, 'true'),
    edit('immutable', ['immutable'], null, 'null'),
    type('Opaque'),
    type(''),
    type('example.com/custom'),
    type('kubernetes.io/tls'),
    type('kubernetes.io/basic-auth'),
    type('kubernetes.io/ssh-auth'),
    type('kubernetes.io/dockerconfigjson'),
    type('kubernetes.io/dockercfg'),
    type('kubernetes.io/service-account-token'),
    type('bootstrap.kubernetes.io/token'),
    type('not a type!'),
    edit('type', ['type'], 7, 'number'),
    typed('kubernetes.io/basic-auth', { username: 'oracle' }, 'a username'),
    typed('kubernetes.io/tls', { 'tls.crt': 'c', 'tls.key': 'k' }, 'both keys'),
    typed(
      'kubernetes.io/dockerconfigjson',
      { '.dockerconfigjson': 'not json' },
      'bad JSON',
    ),
    typed(
      'kubernetes.io/dockerconfigjson',
      { '.dockerconfigjson': '{"auths":{}}' },
      'JSON',
    ),
    {
      kind: 'type',
      segments: ['type'],
      variant: 'kubernetes.io/tls with keys in data',
      apply: o => {
        o.type = 'kubernetes.io/tls';
        o.data = { 'tls.crt': 'Yw==', 'tls.key': 'aw==' };
        o.stringData = {};
      },
    },
    typed('kubernetes.io/tls', { 'tls.crt': 'c' }, 'only tls.crt'),
    typed('kubernetes.io/tls', { 'tls.crt': '', 'tls.key': '' }, 'empty keys'),
    typed('kubernetes.io/ssh-auth', { 'ssh-privatekey': '' }, 'empty key'),
    typed('kubernetes.io/ssh-auth', { 'ssh-privatekey': 'k' }, 'a key'),
    typed('kubernetes.io/basic-auth', { password: '' }, 'empty password'),
    typed('kubernetes.io/dockercfg', { '.dockercfg': '[]' }, 'JSON list'),
    typed('kubernetes.io/dockercfg', { '.dockercfg': 'null' }, 'JSON null'),
    typed('kubernetes.io/dockercfg', { '.dockercfg': '{}' }, 'JSON object'),
    typed(
      'kubernetes.io/dockerconfigjson',
      { '.dockerconfigjson': '{"auths":{}} x' },
      'trailing text',
    ),
    {
      kind: 'type',
      segments: ['type'],
      variant: 'kubernetes.io/service-account-token with its annotation',
      apply: o => {
        o.type = 'kubernetes.io/service-account-token';
        setAt(
          o,
          ['metadata', 'annotations', 'kubernetes.io/service-account.name'],
          'default',
        );
      },
    },
    edit('unknown-field', ['oracleUnknownField'], 1),
  ];
}
