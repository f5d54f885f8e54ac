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
        'warning rule AIGatewayRoute/openai spec.hostnames[3]: Invalid value: "192.168.0.1": the API server accepts it, but Gateway API route hostnames are names, not IP addresses: only requests whose Host header is exactly this address match',
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
      name: 'matches',
      matches: Array.from({ length: 65 }, (_, i) => ({
        headers: [{ name: 'x-ai-eg-model', value: `m${i}` }],
      })),
    };
    spec.rules[5] = { ...spec.rules[4], name: 'more-matches' };
    const findings = rendered(runBusinessRules(objects));
    expect(findings).toEqual(
      expect.arrayContaining([
        'error rule AIGatewayRoute/openai spec.rules: Too many: 16: must have at most 15 items',
        'error rule AIGatewayRoute/openai spec.rules[0].name: Invalid value: "route-not-found": rule name route-not-found is reserved for the AI Gateway\'s own rule',
        'error rule AIGatewayRoute/openai spec.rules[2].name: Duplicate value: "m1": rule names must be unique within the route (also used by spec.rules[1])',
        'error rule AIGatewayRoute/openai spec.rules[3].backendRefs: Too many: 17: must have at most 16 items (each rule becomes an HTTPRoute rule, which allows 16 backendRefs)',
        'error rule AIGatewayRoute/openai spec.rules[4].matches: Too many: 65: must have at most 64 items (each rule becomes an HTTPRoute rule, which allows 64 matches)',
        // 2 × 65 matches, 14 other rules with one each, and the AI Gateway's own rule.
        'error rule AIGatewayRoute/openai spec.rules: Invalid value: "array": the generated HTTPRoute would have 145 matches (a rule without matches counts one, and the AI Gateway adds one rule with one match); the API server allows 128 across all rules, so the AI Gateway could not create it',
      ]),
    );
  });

  it('requires the credentials each provider needs', () => {
    const objects = bundleOf('azure-openai', azureKeyInput);
    const policy = objects.find(o => o.kind === 'BackendSecurityPolicy') as any;
    const secret = objects.find(o => o.kind === 'Secret') as any;
    secret.stringData = { apiKey: '' };
    expect(rendered(runBusinessRules(objects))).toEqual([
      'warning rule Secret/azure-credentials stringData[apiKey]: Key "apiKey" is empty: BackendSecurityPolicy azure-auth (AzureAPIKey) will send an empty credential',
    ]);
    secret.stringData = {};
    expect(rendered(runBusinessRules(objects))).toEqual([
      'error rule Secret/azure-credentials stringData[apiKey]: Required value: BackendSecurityPolicy azure-auth (AzureAPIKey) reads key "apiKey" from this Secret',
    ]);
    policy.spec = {
      ...policy.spec,
      type: 'APIKey',
      apiKey: policy.spec.azureAPIKey,
    };
    expect(rendered(runBusinessRules(objects))).toContain(
      'warning rule BackendSecurityPolicy/azure-auth spec.type: APIKey is not the usual credential for schema AzureOpenAI (AzureAPIKey or AzureCredentials): the AI Gateway will send the key as "Authorization: Bearer" to AIServiceBackend azure\'s upstream, which answers 401 or 403 unless it accepts that',
    );
    const withoutPolicy = objects.filter(
      o => o.kind !== 'BackendSecurityPolicy',
    );
    expect(rendered(runBusinessRules(withoutPolicy))).toContain(
      'warning rule AIServiceBackend/azure No BackendSecurityPolicy targets AIServiceBackend azure: the AI Gateway will send its requests without credentials; Azure OpenAI answers 401. To send credentials, add a BackendSecurityPolicy of type AzureAPIKey or AzureCredentials targeting it',
    );
    expect(
      runBusinessRules([
        ...withoutPolicy,
        policy,
        { ...policy, metadata: { ...policy.metadata, name: 'second' } },
      ])
        .filter(f => f.path === 'spec.targetRefs')
        .map(f => `${f.severity} ${renderGatewayFinding(f)}`),
    ).toEqual([
      'error spec.targetRefs: Forbidden: AIServiceBackend azure is already targeted by BackendSecurityPolicy azure-auth; the AI Gateway refuses a backend with more than one (NotAccepted: multiple BackendSecurityPolicies found)',
    ]);
    const withoutSecret = objects.filter(o => o.kind !== 'Secret');
    expect(
      runBusinessRules(withoutSecret)
        .filter(f => f.severity === 'warning')
        .map(renderGatewayFinding),
    ).toEqual([
      expect.stringMatching(/^spec.type: APIKey is not the usual credential/),
      'spec.apiKey.secretRef.name: Secret team-a/azure-credentials is not part of this bundle; it must exist with key "apiKey" before the policy can work',
    ]);
  });

  it('warns, and says what will happen, for an OpenAI schema on a self-hosted upstream without credentials', () => {
    // As upstream's own examples do: an OpenAI-compatible server in the cluster, no BackendSecurityPolicy.
    const objects = bundleOf('openai', {
      ...openAIInput,
      hostname: 'vllm.models.svc.cluster.local',
    }).filter(o => o.kind !== 'BackendSecurityPolicy' && o.kind !== 'Secret');
    const findings = runBusinessRules(objects);
    expect(findings.filter(f => f.severity === 'error')).toEqual([]);
    expect(rendered(findings)).toEqual([
      'warning rule AIServiceBackend/openai No BackendSecurityPolicy targets AIServiceBackend openai: the AI Gateway will send its requests without credentials; that is right for a self-hosted OpenAI-compatible server that needs none, while a hosted API such as api.openai.com answers 401. To send credentials, add a BackendSecurityPolicy of type APIKey targeting it',
    ]);
  });

  it('takes a schema or policy type named like an Object property as unknown, not as a crash', () => {
    const objects = bundleOf('openai', openAIInput);
    const backend = objects.find(o => o.kind === 'AIServiceBackend') as any;
    const policy = objects.find(o => o.kind === 'BackendSecurityPolicy') as any;
    backend.spec.schema.name = 'constructor';
    policy.spec.type = 'toString';
    expect(() => runBusinessRules(objects)).not.toThrow();
    backend.spec.schema.name = 'OpenAI';
    expect(rendered(runBusinessRules(objects))).toEqual([
      expect.stringContaining(
        'warning rule BackendSecurityPolicy/openai-auth spec.type: toString is not the usual credential for schema OpenAI (APIKey): the AI Gateway will send what toString sends',
      ),
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
        'error rule HTTPRoute/other metadata.namespace: Invalid value: "team-b": all objects of a bundle must be in one namespace (team-a): the plugin keeps an entity\'s gateway objects in the namespace its annotation names, and refers to them there by name',
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
