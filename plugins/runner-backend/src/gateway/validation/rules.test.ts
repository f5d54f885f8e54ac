import {
  renderGatewayFinding,
  type GatewayFinding,
} from '@internal/plugin-runner-common';
import {
  openAIInput,
  httpRouteInput,
  azureKeyInput,
} from '../__testUtils__/templateInputs';
import { sharedCrdRegistry } from '../__testUtils__/shared';
import type { KubernetesObject } from '../bundle';
import { buildTemplate } from '../templates';
import { runBusinessRules } from './rules';
import { GatewayValidator, hasErrors, validateBundle } from './validateBundle';

function bundleOf(
  id: 'openai' | 'httproute' | 'azure-openai',
  input: unknown,
): KubernetesObject[] {
  const result = buildTemplate(id, input);
  if (!result.ok) throw new Error(JSON.stringify(result.findings));
  return result.bundle.objects;
}

const rendered = (findings: GatewayFinding[]) =>
  findings.map(
    f =>
      `${f.severity} ${f.source} ${f.object?.kind}/${
        f.object?.name
      } ${renderGatewayFinding(f)}`,
  );

function route(objects: KubernetesObject[]): any {
  return objects.find(
    o => o.kind === 'AIGatewayRoute' || o.kind === 'HTTPRoute',
  );
}

// Loading and compiling every CRD takes seconds on a loaded CI machine.
jest.setTimeout(120_000);

describe('business rules', () => {
  it('passes a template bundle', () => {
    expect(
      runBusinessRules(bundleOf('openai', openAIInput), {
        entityRef: openAIInput.entityRef,
      }),
    ).toEqual([]);
  });

  it('requires unique names per kind within a bundle', () => {
    const objects = bundleOf('openai', openAIInput);
    objects.push(JSON.parse(JSON.stringify(objects[1])));
    expect(rendered(runBusinessRules(objects))).toContain(
      'error rule Backend/openai metadata.name: Duplicate value: "openai": another Backend in this bundle has the same name',
    );
  });

  it('checks host names, with wildcards only on routes', () => {
    const objects = bundleOf('openai', openAIInput);
    route(objects).spec.hostnames = [
      'ok.example.com',
      '*.example.com',
      'Upper.example.com',
      '192.168.0.1',
      'a..b',
    ];
    (
      objects.find(o => o.kind === 'BackendTLSPolicy') as any
    ).spec.validation.hostname = '*.openai.com';
    const findings = rendered(runBusinessRules(objects));
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'AIGatewayRoute/openai spec.hostnames[2]: Invalid value: "Upper.example.com": must be a lowercase RFC 1123 host name',
        ),
        'error rule AIGatewayRoute/openai spec.hostnames[3]: Invalid value: "192.168.0.1": must be a host name, not an IP address',
        expect.stringContaining('spec.hostnames[4]: Invalid value: "a..b"'),
        'error rule BackendTLSPolicy/openai-tls spec.validation.hostname: Invalid value: "*.openai.com": must not be a wildcard',
      ]),
    );
    expect(
      findings.filter(
        f => f.includes('spec.hostnames[0]') || f.includes('spec.hostnames[1]'),
      ),
    ).toEqual([]);
  });

  it('enforces the AI Gateway limits with precise paths', () => {
    const objects = bundleOf('openai', openAIInput);
    const spec = route(objects).spec;
    const template = spec.rules[0];
    spec.rules = Array.from({ length: 16 }, (_, i) => ({
      ...template,
      name: `m${i}`,
    }));
    spec.rules[0].name = 'route-not-found';
    spec.rules[2].name = 'm1';
    spec.rules[3] = {
      ...template,
      name: 'many',
      backendRefs: Array.from({ length: 17 }, (_, i) => ({ name: `b${i}` })),
    };
    spec.rules[4] = {
      ...template,
      name: 'headers',
      matches: Array.from({ length: 8 }, () => ({
        headers: Array.from({ length: 16 }, (_, i) => ({
          name: `h${i}`,
          value: 'v',
        })),
      })),
    };
    const findings = rendered(runBusinessRules(objects));
    expect(findings).toEqual(
      expect.arrayContaining([
        'error rule AIGatewayRoute/openai spec.rules: Too many: 16: must have at most 15 items',
        'error rule AIGatewayRoute/openai spec.rules[0].name: Invalid value: "route-not-found": rule name route-not-found is reserved for the AI Gateway\'s own rule',
        'error rule AIGatewayRoute/openai spec.rules[2].name: Duplicate value: "m1": rule names must be unique within the route (also used by spec.rules[1])',
        'error rule AIGatewayRoute/openai spec.rules[3].backendRefs: Too many: 17: must have at most 16 items (each rule becomes an HTTPRoute rule, which allows 16 backendRefs)',
        expect.stringMatching(
          /^error rule AIGatewayRoute\/openai spec.rules: Invalid value: "array": 14\d header matches in total; an AIGatewayRoute may have at most 126 across all rules$/,
        ),
      ]),
    );
  });

  it('requires the credentials each provider needs', () => {
    const objects = bundleOf('azure-openai', azureKeyInput);
    const policy = objects.find(o => o.kind === 'BackendSecurityPolicy') as any;
    const secret = objects.find(o => o.kind === 'Secret') as any;
    secret.stringData = { apiKey: '' };
    expect(rendered(runBusinessRules(objects))).toEqual([
      'error rule Secret/azure-credentials stringData[apiKey]: Required value: BackendSecurityPolicy azure-auth (AzureAPIKey) reads key "apiKey" from this Secret',
    ]);
    policy.spec = {
      ...policy.spec,
      type: 'APIKey',
      apiKey: policy.spec.azureAPIKey,
    };
    expect(rendered(runBusinessRules(objects))).toContain(
      'error rule BackendSecurityPolicy/azure-auth spec.type: Unsupported value: "APIKey": supported values: "AzureAPIKey", "AzureCredentials" (AIServiceBackend azure speaks AzureOpenAI)',
    );
    const withoutPolicy = objects.filter(
      o => o.kind !== 'BackendSecurityPolicy',
    );
    expect(rendered(runBusinessRules(withoutPolicy))).toContain(
      'error rule AIServiceBackend/azure Required value: credentials are required for AzureOpenAI: add a BackendSecurityPolicy of type AzureAPIKey or AzureCredentials targeting AIServiceBackend azure',
    );
    const withoutSecret = objects.filter(o => o.kind !== 'Secret');
    expect(
      runBusinessRules(withoutSecret)
        .filter(f => f.severity === 'warning')
        .map(renderGatewayFinding),
    ).toEqual([
      'spec.apiKey.secretRef.name: Secret team-a/azure-credentials is not part of this bundle; it must exist with key "apiKey" before the policy can work',
    ]);
  });

  it('enforces ownership and one namespace', () => {
    const objects = bundleOf('httproute', httpRouteInput);
    const other = JSON.parse(JSON.stringify(objects[0]));
    other.metadata.name = 'other';
    other.metadata.namespace = 'team-b';
    delete other.metadata.labels['runner.backstage.io/managed-by'];
    const findings = rendered(
      runBusinessRules([...objects, other], {
        entityRef: 'component:default/someone-else',
      }),
    );
    expect(findings).toEqual(
      expect.arrayContaining([
        'error rule HTTPRoute/other metadata.namespace: Invalid value: "team-b": all objects of a bundle must be in one namespace (team-a), since they reference each other by name',
        expect.stringMatching(
          /HTTPRoute\/other metadata.labels\[runner.backstage.io\/managed-by\]: Required value/,
        ),
        expect.stringMatching(
          /HTTPRoute\/hello-http metadata.annotations\[runner.backstage.io\/entity-ref\]: Invalid value: "component:default\/hello-http": must be "component:default\/someone-else"/,
        ),
      ]),
    );
  });
});

describe('validateBundle', () => {
  it('runs rules, schema and CEL and returns every finding', async () => {
    const registry = await sharedCrdRegistry();
    const objects = bundleOf('openai', openAIInput) as any[];
    const aiRoute = route(objects);
    aiRoute.spec.rules[0].name = 'route-not-found';
    aiRoute.spec.rules[0].backendRefs[0].weight = -1;
    aiRoute.spec.rules[0].backendRefs[0].group = 'example.com';
    const findings = validateBundle(objects, registry, {
      entityRef: openAIInput.entityRef,
    });
    expect(hasErrors(findings)).toBe(true);
    expect(rendered(findings)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^error rule AIGatewayRoute\/openai spec.rules\[0\].name: Invalid value: "route-not-found"/,
        ),
        'error cel AIGatewayRoute/openai spec.rules[0]: Invalid value: "object": rule name route-not-found is reserved',
        'error schema AIGatewayRoute/openai spec.rules[0].backendRefs[0].weight: Invalid value: -1: spec.rules[0].backendRefs[0].weight in body should be greater than or equal to 0',
        'error cel AIGatewayRoute/openai spec.rules[0].backendRefs[0]: Invalid value: "object": group and kind must be specified together',
      ]),
    );
  });

  it('says when no CRD is loaded for a kind instead of passing it silently', () => {
    const findings = new GatewayValidator(undefined).validateBundle(
      bundleOf('httproute', httpRouteInput),
    );
    expect(rendered(findings)).toEqual([
      'warning schema HTTPRoute/hello-http no CRD for HTTPRoute gateway.networking.k8s.io/v1 is loaded; its schema and CEL rules were not checked',
    ]);
  });
});
