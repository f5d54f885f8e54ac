import {
  renderGatewayFinding,
  type GatewayFinding,
} from '@internal/plugin-runner-common';
import {
  ALL_PROVIDER_INPUTS,
  SECRETS,
  awsAccessKeyInput,
  httpRouteInput,
  openAIInput,
} from '../__testUtils__/templateInputs';
import { sharedCrdRegistry } from '../__testUtils__/shared';
import { redactBundle, secretValues, summarizeBundle } from '../bundle';
import { GatewayValidator } from '../validation/validateBundle';
import {
  buildTemplate,
  listTemplates,
  templateInputJsonSchema,
  type TemplateId,
} from '.';

const errorsOf = (findings: GatewayFinding[]) =>
  findings
    .filter(f => f.severity === 'error')
    .map(f => `${f.object?.kind ?? 'input'} ${renderGatewayFinding(f)}`);

function build(id: TemplateId, input: unknown) {
  const result = buildTemplate(id, input);
  if (!result.ok)
    throw new Error(
      `unexpected input findings: ${JSON.stringify(result.findings)}`,
    );
  return result.bundle;
}

// Loading and compiling every CRD takes seconds on a loaded CI machine.
jest.setTimeout(120_000);

describe.each(['experimental', 'standard'] as const)(
  'templates against the %s Gateway API CRDs',
  channel => {
    let validator: GatewayValidator;
    beforeAll(async () => {
      validator = new GatewayValidator(await sharedCrdRegistry(channel));
    });

    it.each(ALL_PROVIDER_INPUTS)(
      '%s: a complete bundle with no findings',
      (_name, input) => {
        const bundle = build(input.provider, input);
        expect(bundle.objects.map(o => o.kind)).toEqual([
          'Secret',
          'Backend',
          'BackendTLSPolicy',
          'AIServiceBackend',
          'BackendSecurityPolicy',
          'AIGatewayRoute',
        ]);
        const findings = validator.validateBundle(bundle.objects, {
          entityRef: input.entityRef,
        });
        expect(errorsOf(findings)).toEqual([]);
        // Warnings would mean unknown (pruned) fields or missing CRDs: the templates must not produce them.
        expect(findings.filter(f => f.severity === 'warning')).toEqual([]);
      },
    );

    it('httproute: an HTTPRoute with no findings', () => {
      const bundle = build('httproute', httpRouteInput);
      expect(bundle.objects.map(o => o.kind)).toEqual(['HTTPRoute']);
      const findings = validator.validateBundle(bundle.objects, {
        entityRef: httpRouteInput.entityRef,
      });
      expect(findings).toEqual([]);
    });
  },
);

describe('template output', () => {
  it('routes each model on x-ai-eg-model with weighted and priority backends, timeouts and costs', () => {
    const route = build('openai', openAIInput).objects.find(
      o => o.kind === 'AIGatewayRoute',
    ) as any;
    expect(route.spec.rules[1]).toEqual({
      name: 'gpt-4o',
      matches: [
        {
          headers: [{ type: 'Exact', name: 'x-ai-eg-model', value: 'gpt-4o' }],
        },
      ],
      backendRefs: [
        { name: 'openai', weight: 80, priority: 0 },
        { name: 'azure-openai', weight: 20, priority: 0 },
        {
          name: 'aws-bedrock',
          weight: 1,
          priority: 1,
          modelNameOverride: 'anthropic.claude-3-5-sonnet-20241022-v2:0',
        },
      ],
      timeouts: { request: '60s', backendRequest: '30s' },
    });
    expect(route.spec.llmRequestCosts.map((c: any) => c.type)).toEqual([
      'InputToken',
      'OutputToken',
      'TotalToken',
    ]);
    expect(route.spec.parentRefs).toEqual([
      {
        group: 'gateway.networking.k8s.io',
        kind: 'Gateway',
        name: 'ai-gateway',
        namespace: 'envoy-gateway-system',
      },
    ]);
  });

  it('marks every object with its owning entity', () => {
    for (const object of build('aws-bedrock', awsAccessKeyInput).objects) {
      expect(object.metadata.labels).toEqual({
        'runner.backstage.io/managed-by': 'backstage-runner',
        'runner.backstage.io/entity': expect.stringMatching(
          /^component\.default\.hello-http-[0-9a-f]{10}$/,
        ),
        // The bundle (the input's name) groups a provider's objects.
        'runner.backstage.io/bundle': 'bedrock',
      });
      expect(
        object.metadata.annotations?.['runner.backstage.io/entity-ref'],
      ).toBe('component:default/hello-http');
      expect(object.metadata.namespace).toBe('team-a');
    }
  });

  it('writes the AWS credentials file the AI Gateway reads', () => {
    const secret = build('aws-bedrock', awsAccessKeyInput).objects[0] as any;
    expect(secret.stringData.credentials).toBe(
      `[default]\naws_access_key_id = ${SECRETS.awsAccessKeyId}\naws_secret_access_key = ${SECRETS.awsSecretAccessKey}\naws_session_token = ${SECRETS.awsSessionToken}\n`,
    );
  });
});

describe('redaction', () => {
  it.each(ALL_PROVIDER_INPUTS)(
    '%s: the preview and the summary carry no secret value',
    (_name, input) => {
      const bundle = build(input.provider, input);
      const values = secretValues(bundle.objects);
      expect(values.length).toBeGreaterThan(0);
      const shown = JSON.stringify([
        redactBundle(bundle),
        summarizeBundle(bundle),
      ]);
      for (const value of [...values, ...Object.values(SECRETS)]) {
        // Raw, and as it appears inside serialized JSON (newlines and quotes escaped).
        expect(shown).not.toContain(value);
        expect(shown).not.toContain(JSON.stringify(value).slice(1, -1));
      }
      const secret = redactBundle(bundle).objects.find(
        o => o.kind === 'Secret',
      ) as any;
      expect(Object.values(secret.stringData)).toEqual(
        Object.values(secret.stringData).map(() => 'set'),
      );
      expect(summarizeBundle(bundle).secrets[0].keys).toEqual(
        Object.fromEntries(Object.keys(secret.stringData).map(k => [k, 'set'])),
      );
      // The real bundle still holds them: only previews are redacted.
      expect(Object.values((bundle.objects[0] as any).stringData)).toContain(
        values[0],
      );
    },
  );

  it('says "not set" for an empty key and redacts base64 data too', () => {
    const bundle = build('openai', openAIInput);
    const secret = bundle.objects[0] as any;
    bundle.objects[0] = {
      ...secret,
      stringData: { apiKey: '' },
      data: { extra: Buffer.from('hidden-value').toString('base64') },
    };
    expect(summarizeBundle(bundle).secrets[0].keys).toEqual({
      apiKey: 'not set',
      extra: 'set',
    });
    expect(JSON.stringify(redactBundle(bundle))).not.toContain(
      Buffer.from('hidden-value').toString('base64'),
    );
  });

  it('keeps secret values out of findings', async () => {
    const validator = new GatewayValidator(await sharedCrdRegistry());
    const bundle = build('openai', openAIInput);
    const secret = bundle.objects[0] as any;
    // Bad keys and bad base64: the findings must name keys, never values.
    bundle.objects[0] = {
      ...secret,
      data: {
        'bad key!': Buffer.from(SECRETS.openaiKey).toString('base64'),
        broken: `${SECRETS.azureKey}!!`,
      },
    };
    const findings = validator.validateBundle(bundle.objects);
    expect(errorsOf(findings).length).toBeGreaterThan(0);
    const text = JSON.stringify(findings);
    for (const value of [
      SECRETS.openaiKey,
      SECRETS.azureKey,
      Buffer.from(SECRETS.openaiKey).toString('base64'),
    ]) {
      expect(text).not.toContain(value);
    }
  });
});

describe('template inputs', () => {
  it('lists the four providers and the HTTPRoute template', () => {
    expect(listTemplates().map(t => t.id)).toEqual([
      'openai',
      'aws-bedrock',
      'gcp-vertex-ai',
      'azure-openai',
      'httproute',
    ]);
  });

  it('describes each input as JSON Schema', () => {
    const schema = templateInputJsonSchema('aws-bedrock') as any;
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(
      expect.arrayContaining([
        'provider',
        'name',
        'namespace',
        'entityRef',
        'models',
        'region',
        'credentials',
      ]),
    );
    expect(
      schema.properties.credentials.oneOf ??
        schema.properties.credentials.anyOf,
    ).toHaveLength(2);
    expect(schema.properties.models.maxItems).toBe(15);
    for (const id of [
      'openai',
      'gcp-vertex-ai',
      'azure-openai',
      'httproute',
    ] as const) {
      expect(templateInputJsonSchema(id)).toMatchObject({ type: 'object' });
    }
  });

  it('reports invalid input with paths and without secret values', () => {
    const result = buildTemplate('openai', {
      ...openAIInput,
      name: 'Not_A_Label',
      models: [{ name: 'a' }, { name: 'a' }],
      hostnames: ['Bad.Example.com', 'a..b', '10.0.0.1'],
      timeouts: { request: 'ten seconds' },
      credentials: { type: 'apiKey', apiKey: 42 },
    });
    expect(result.ok).toBe(false);
    const findings = result.ok ? [] : result.findings;
    expect(findings.map(f => f.path)).toEqual(
      expect.arrayContaining([
        'name',
        'models[1].name',
        'hostnames[0]',
        'hostnames[1]',
        'timeouts.request',
        'credentials.apiKey',
      ]),
    );
    expect(findings.find(f => f.path === 'hostnames[1]')?.message).toMatch(
      /must be a lowercase RFC 1123 host name/,
    );
    // The API server accepts an IPv4 address as a route hostname: a warning on the object, not an input error.
    expect(findings.find(f => f.path === 'hostnames[2]')).toBeUndefined();
    expect(findings.find(f => f.path === 'models[1].name')?.message).toMatch(
      /unique/,
    );
  });

  it('requires the credentials each provider needs', () => {
    const missing = buildTemplate('aws-bedrock', {
      ...awsAccessKeyInput,
      credentials: { type: 'accessKey', accessKeyId: 'AKIA' },
    });
    expect(missing.ok ? [] : missing.findings.map(f => f.path)).toEqual([
      'credentials.secretAccessKey',
    ]);
    const wrongKind = buildTemplate('openai', {
      ...openAIInput,
      credentials: undefined,
    });
    expect(wrongKind.ok ? [] : wrongKind.findings.map(f => f.path)).toEqual([
      'credentials',
    ]);
    const leaked = buildTemplate('azure-openai', {
      ...openAIInput,
      provider: 'azure-openai',
      resource: 'BAD RESOURCE',
      credentials: {
        type: 'clientCredentials',
        tenantId: 'x',
        clientId: 'y',
        clientSecret: SECRETS.azureClientSecret,
      },
    });
    expect(JSON.stringify(leaked)).not.toContain(SECRETS.azureClientSecret);
  });
});
