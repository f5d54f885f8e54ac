import { renderGatewayFinding } from '@internal/plugin-runner-common';
import { CrdRegistry } from './CrdRegistry';
import { ObjectValidator } from './ObjectValidator';

/* A small CRD exercising what the API server does besides CEL. */
const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { kind: 'Widget', plural: 'widgets' },
    versions: [
      {
        name: 'v1alpha1',
        served: false,
        storage: false,
        schema: { openAPIV3Schema: { type: 'object' } },
      },
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: { type: 'object' },
              spec: {
                type: 'object',
                required: ['size'],
                properties: {
                  size: {
                    type: 'integer',
                    minimum: 1,
                    exclusiveMaximum: true,
                    maximum: 10,
                  },
                  mode: { type: 'string', enum: ['A', 'B'], default: 'A' },
                  port: {
                    'x-kubernetes-int-or-string': true,
                    anyOf: [{ type: 'integer' }, { type: 'string' }],
                  },
                  when: { type: 'string', format: 'date-time', nullable: true },
                  tags: {
                    type: 'array',
                    items: { type: 'string' },
                    'x-kubernetes-list-type': 'set',
                    maxItems: 3,
                  },
                  labels: {
                    type: 'object',
                    additionalProperties: { type: 'string', maxLength: 3 },
                  },
                  free: {
                    type: 'object',
                    'x-kubernetes-preserve-unknown-fields': true,
                  },
                  namespace: { type: 'string' },
                },
                'x-kubernetes-validations': [
                  {
                    rule: "self.mode == 'A' || self.size > 5",
                    message: 'mode B needs size > 5',
                    fieldPath: '.mode',
                  },
                  {
                    rule: '!has(self.__namespace__) || self.__namespace__ != "kube-system"',
                    messageExpression:
                      "'namespace ' + self.__namespace__ + ' is reserved'",
                    reason: 'FieldValueForbidden',
                  },
                  {
                    rule: 'self.size == oldSelf.size',
                    message: 'size is immutable',
                  },
                ],
              },
            },
          },
        },
      },
    ],
  },
};

const widget = (
  spec: Record<string, unknown>,
  metadata: Record<string, unknown> = { name: 'w', namespace: 'ns' },
) => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata,
  spec,
});

// Loading and compiling every CRD takes seconds on a loaded CI machine.
jest.setTimeout(120_000);

describe('ObjectValidator', () => {
  const validator = new ObjectValidator(
    CrdRegistry.fromCustomResourceDefinitions([crd]),
  );
  const check = (object: unknown, oldObject?: any) =>
    validator
      .validate(object, { oldObject })
      .map(f => `${f.severity} ${f.source} ${renderGatewayFinding(f)}`);

  it('accepts a valid object, applying defaults before CEL', () => {
    expect(
      check(
        widget({
          size: 3,
          port: 'http',
          when: null,
          free: { any: { thing: 1 } },
        }),
      ),
    ).toEqual([]);
  });

  it('renders schema errors like the API server', () => {
    expect(
      check(
        widget({
          size: 10,
          mode: 'C',
          port: true,
          when: 'yesterday',
          tags: ['a', 'a', 'b', 'c'],
          labels: { k: 'long' },
        }),
      ),
    ).toEqual(
      expect.arrayContaining([
        'error schema spec.size: Invalid value: 10: spec.size in body should be less than 10',
        'error schema spec.mode: Unsupported value: "C": supported values: "A", "B"',
        'error schema spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
        'error schema spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"',
        'error schema spec.tags: Too many: 4: must have at most 3 items',
        'error schema spec.tags[1]: Duplicate value: "a"',
        'error schema spec.labels[k]: Too long: may not be more than 3 bytes',
      ]),
    );
    expect(check(widget({}))).toContain(
      'error schema spec.size: Required value',
    );
  });

  it('drops unknown fields with a warning, as the API server prunes them', () => {
    expect(check(widget({ size: 2, extra: 1 }))).toEqual([
      'warning schema spec.extra: unknown field "spec.extra"',
    ]);
  });

  it('evaluates CEL with fieldPath, messageExpression, reason and escaped property names', () => {
    expect(
      check(widget({ size: 2, mode: 'B', namespace: 'kube-system' })),
    ).toEqual([
      'error cel spec.mode: Invalid value: "object": mode B needs size > 5',
      'error cel spec: Forbidden: namespace kube-system is reserved',
    ]);
  });

  it('runs transition rules only on update', () => {
    expect(check(widget({ size: 2 }), widget({ size: 3 }))).toEqual([
      'error cel spec: Invalid value: "object": size is immutable',
    ]);
    expect(check(widget({ size: 3 }), widget({ size: 3 }))).toEqual([]);
  });

  it('checks ObjectMeta', () => {
    expect(
      check(
        widget(
          { size: 2 },
          { name: 'Bad_Name', namespace: 'ns', labels: { 'a/b/c': 'x' } },
        ),
      ),
    ).toEqual([
      expect.stringMatching(
        /^error schema metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of/,
      ),
      expect.stringMatching(
        /^error schema metadata.labels: Invalid value: "a\/b\/c": a qualified name must/,
      ),
    ]);
    // As on the API server, a required field missing blocks the CEL rules.
    expect(check(widget({ size: 2 }, {}))).toEqual([
      'error schema metadata.name: Required value: name or generateName is required',
      'error cel Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    ]);
  });

  it('only serves served versions', () => {
    expect(
      check({ ...widget({ size: 2 }), apiVersion: 'example.com/v1alpha1' }),
    ).toEqual([
      'warning schema no CRD for Widget example.com/v1alpha1 is loaded; its schema and CEL rules were not checked',
    ]);
  });

  it('reports a rule it cannot compile instead of passing it', () => {
    const broken = JSON.parse(JSON.stringify(crd));
    broken.spec.versions[1].schema.openAPIV3Schema.properties.spec[
      'x-kubernetes-validations'
    ] = [{ rule: 'quantity(self.mode).isGreaterThan(quantity("1"))' }];
    const findings = new ObjectValidator(
      CrdRegistry.fromCustomResourceDefinitions([broken]),
    ).validate(widget({ size: 2 }));
    expect(findings.map(renderGatewayFinding)).toEqual([
      expect.stringMatching(
        /^spec: Internal error: rule cannot be checked \(compile error: .*quantity.*\): quantity\(self.mode\)/,
      ),
    ]);
  });
});

describe('CrdRegistry', () => {
  it('names a missing directory', async () => {
    await expect(
      CrdRegistry.fromDirectories(['/nonexistent/crds']),
    ).rejects.toThrow('CRD directory /nonexistent/crds does not exist');
  });
});
