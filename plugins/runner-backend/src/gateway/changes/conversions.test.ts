import { sharedCrdRegistry } from '../__testUtils__/shared';
import { managedKind } from '../managedKinds';
import type { CrdSchema } from '../validation/CrdRegistry';
import { CONVERSIONS, convertToManaged, type FieldTree } from './conversions';

jest.setTimeout(120_000);

/** A schema's fields as conversions.ts writes them. */
function fieldTree(schema: CrdSchema): FieldTree | [FieldTree] | true {
  if (schema.type === 'array' && schema.items) {
    const items = fieldTree(schema.items);
    return items === true ? true : [items as FieldTree];
  }
  if (schema.properties) {
    return Object.fromEntries(
      Object.entries<CrdSchema>(schema.properties).map(([name, child]) => [
        name,
        fieldTree(child),
      ]),
    );
  }
  return true;
}

describe('conversions on import', () => {
  it.each(['experimental', 'standard'] as const)(
    'know exactly the fields of the target version, and the source version has the same (%s channel)',
    async channel => {
      const registry = await sharedCrdRegistry(channel);
      for (const conversion of CONVERSIONS) {
        // Straight from the CRD: the standard channel no longer serves v1alpha3.
        const { crd } = registry
          .customResourceDefinitions()
          .find(c => c.crd.spec.names.kind === conversion.kind)!;
        const version = (apiVersion: string) =>
          crd.spec.versions.find(
            (v: any) => `${crd.spec.group}/${v.name}` === apiVersion,
          );
        const to = version(conversion.to).schema.openAPIV3Schema;
        const from = version(conversion.from);
        expect(fieldTree(to.properties.spec)).toEqual(conversion.spec);
        expect(from.schema.openAPIV3Schema).toEqual(to);
        expect(from.deprecated).toBe(true);
      }
    },
  );

  const policy = {
    apiVersion: 'gateway.networking.k8s.io/v1alpha3',
    kind: 'BackendTLSPolicy',
    metadata: { name: 'openai-tls' },
    spec: {
      targetRefs: [
        { group: 'gateway.envoyproxy.io', kind: 'Backend', name: 'openai' },
      ],
      validation: {
        hostname: 'api.openai.com',
        wellKnownCACertificates: 'System',
      },
    },
    status: { ancestors: [] },
  };

  it('converts a BackendTLSPolicy v1alpha3 to v1 and says so', () => {
    const result = convertToManaged(policy, managedKind('BackendTLSPolicy')!);
    expect(result).toEqual({
      converted: true,
      object: {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'BackendTLSPolicy',
        metadata: policy.metadata,
        spec: policy.spec,
      },
      note: 'Converted from gateway.networking.k8s.io/v1alpha3 to gateway.networking.k8s.io/v1: the versions have the same fields, and gateway.networking.k8s.io/v1alpha3 is deprecated; export writes it as gateway.networking.k8s.io/v1',
    });
  });

  it('refuses what does not convert, naming the field', () => {
    const result = convertToManaged(
      {
        ...policy,
        spec: {
          ...policy.spec,
          validation: {
            ...policy.spec.validation,
            subjectAltNames: [
              {
                type: 'Hostname',
                hostname: 'a.example.com',
                ipAddress: '10.0.0.1',
              },
            ],
          },
        },
      },
      managedKind('BackendTLSPolicy')!,
    );
    expect(result).toEqual({
      converted: false,
      field: 'spec.validation.subjectAltNames[0].ipAddress',
      message:
        'Unsupported value: spec.validation.subjectAltNames[0].ipAddress does not exist in BackendTLSPolicy gateway.networking.k8s.io/v1, so this gateway.networking.k8s.io/v1alpha3 object does not convert (the API server would drop the field); remove it, or write the object as gateway.networking.k8s.io/v1',
    });
    expect(
      convertToManaged(
        { ...policy, apiVersion: 'gateway.networking.k8s.io/v1alpha2' },
        managedKind('BackendTLSPolicy')!,
      ),
    ).toEqual({ converted: false });
  });
});
