import type { TemplateId } from '../../../templates';
import {
  ALL_PROVIDER_INPUTS,
  awsAccessKeyInput,
  azureClientCredentialsInput,
  gcpWorkloadIdentityInput,
  httpRouteInput,
  openAIInput,
} from '../../../__testUtils__/templateInputs';

/*
 * Template inputs for the oracle: the tests' usual inputs, plus inputs the
 * input schemas accept that sit at a limit or near a CRD rule (most models,
 * longest header value, 16 backends, path forms, timeouts, matches per
 * route). Whether a template turns each into objects the API server accepts
 * is the question, so nothing here is expected to be valid or invalid.
 */

export interface TemplateRow {
  label: string;
  template: TemplateId;
  input: unknown;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

const backend = (serviceName: string, weight?: number) => ({
  serviceName,
  port: 8080,
  ...(weight === undefined ? {} : { weight }),
});

const route = (label: string, changes: Record<string, unknown>) => ({
  label: `httproute: ${label}`,
  template: 'httproute' as const,
  input: { ...httpRouteInput, ...changes },
});

const rulesWithMatches = (rules: number, matchesPerRule: number) =>
  range(rules).map(r => ({
    matches: range(matchesPerRule).map(m => ({
      path: { type: 'PathPrefix', value: `/r${r}/m${m}` },
    })),
    backends: [backend('hello-http')],
  }));

const pathRule = (type: string, value: string) => [
  { matches: [{ path: { type, value } }], backends: [backend('hello-http')] },
];

const provider = (
  label: string,
  base: any,
  changes: Record<string, unknown>,
) => ({
  label: `${base.provider}: ${label}`,
  template: base.provider as TemplateId,
  input: { ...base, ...changes },
});

export const TEMPLATE_TABLE: TemplateRow[] = [
  ...ALL_PROVIDER_INPUTS.map(([label, input]) => ({
    label,
    template: input.provider as TemplateId,
    input,
  })),
  { label: 'httproute', template: 'httproute', input: httpRouteInput },
  provider('minimal', openAIInput, {
    models: [{ name: 'gpt-4o-mini' }],
    hostnames: undefined,
    timeouts: undefined,
    parentGateway: { name: 'ai-gateway' },
  }),
  provider('15 models', openAIInput, {
    models: range(15).map(i => ({ name: `model-${i}`, weight: i })),
  }),
  provider('15 additional backends (16 per rule)', openAIInput, {
    models: [
      {
        name: 'gpt-4o',
        additionalBackends: range(15).map(i => ({
          name: `backend-${i}`,
          namespace: 'other',
          weight: 1_000_000,
          priority: 1_000_000,
        })),
      },
    ],
  }),
  provider('4096-character model name', openAIInput, {
    models: [{ name: 'm'.repeat(4096) }],
  }),
  provider(
    'model names that differ only in case and punctuation',
    openAIInput,
    {
      models: [
        { name: 'GPT-4o' },
        { name: 'gpt-4o' },
        { name: 'gpt 4o' },
        { name: '...' },
      ],
    },
  ),
  provider('every cost type, 36 costs', openAIInput, {
    llmRequestCosts: range(36).map(i => ({
      metadataKey: `cost_${i}`,
      type: [
        'OutputToken',
        'InputToken',
        'CachedInputToken',
        'CacheCreationInputToken',
        'TotalToken',
        'ReasoningToken',
        'CEL',
      ][i % 7],
      ...(i % 7 === 6 ? { cel: 'input_tokens + output_tokens' } : {}),
    })),
  }),
  provider('a CEL cost without an expression', openAIInput, {
    llmRequestCosts: [{ metadataKey: 'c', type: 'CEL' }],
  }),
  provider('timeouts: backend longer than request', openAIInput, {
    timeouts: { request: '10s', backendRequest: '1m' },
  }),
  provider('16 host names', openAIInput, {
    hostnames: range(16).map(i => `h${i}.example.com`),
  }),
  provider('a 40-character name', openAIInput, { name: 'a'.repeat(40) }),
  provider('another region, no session token', awsAccessKeyInput, {
    region: 'eu-west-1',
    credentials: {
      type: 'accessKey',
      accessKeyId: 'AKIATESTACCESSKEYID01',
      secretAccessKey: 'test/AWS/secret+access+key/0123456789',
    },
  }),
  provider('global region', gcpWorkloadIdentityInput, { region: 'global' }),
  provider('another API version', azureClientCredentialsInput, {
    apiVersion: '2024-10-21',
  }),
  route('minimal', {
    hostnames: undefined,
    parentGateway: { name: 'public' },
    rules: [{ backends: [backend('hello-http')] }],
  }),
  route('exact path', { rules: pathRule('Exact', '/healthz') }),
  route('regular expression path', {
    rules: pathRule('RegularExpression', '^/api/v[0-9]+/.*$'),
  }),
  route('relative path', { rules: pathRule('PathPrefix', 'api') }),
  route('path with //', { rules: pathRule('PathPrefix', '/api//v1') }),
  route('path with /./', { rules: pathRule('Exact', '/api/./v1') }),
  route('path with %2f', { rules: pathRule('PathPrefix', '/api%2fv1') }),
  route('path with a trailing slash', {
    rules: pathRule('PathPrefix', '/api/'),
  }),
  route('path with a query', { rules: pathRule('PathPrefix', '/api?x=1') }),
  route('header regex, same header twice in other case', {
    rules: [
      {
        matches: [
          {
            headers: [
              { name: 'X-Env', value: 'prod|stage', type: 'RegularExpression' },
              { name: 'x-env', value: 'prod' },
            ],
          },
        ],
        backends: [backend('hello-http')],
      },
    ],
  }),
  route('16 rules × 8 matches (128)', { rules: rulesWithMatches(16, 8) }),
  route('16 rules × 9 matches (144)', { rules: rulesWithMatches(16, 9) }),
  route('64 matches in one rule', { rules: rulesWithMatches(1, 64) }),
  route('duplicate rule names', {
    rules: [
      { name: 'api', backends: [backend('a')] },
      { name: 'api', backends: [backend('b')] },
    ],
  }),
  route('timeouts: backend longer than request', {
    rules: [
      {
        backends: [backend('hello-http')],
        timeouts: { request: '1s', backendRequest: '2s' },
      },
    ],
  }),
  route('zero timeouts', {
    rules: [
      {
        backends: [backend('hello-http')],
        timeouts: { request: '0s', backendRequest: '0s' },
      },
    ],
  }),
  route('16 weighted backends, weight 0 and 1,000,000', {
    rules: [
      {
        backends: range(16).map(i =>
          backend(`svc-${i}`, i % 2 ? 0 : 1_000_000),
        ),
      },
    ],
  }),
  route('every method, cross-namespace backend, port 65535', {
    rules: [
      'GET',
      'HEAD',
      'POST',
      'PUT',
      'DELETE',
      'CONNECT',
      'OPTIONS',
      'TRACE',
      'PATCH',
    ].map(method => ({
      matches: [{ method }],
      backends: [{ serviceName: 'api', port: 65535, namespace: 'other' }],
    })),
  }),
  route('16 host names', {
    hostnames: range(16).map(i => `h${i}.example.com`),
  }),
  route('a 63-character section name and rule name', {
    parentGateway: { name: 'public', sectionName: 's'.repeat(63) },
    rules: [{ name: 'r'.repeat(63), backends: [backend('hello-http')] }],
  }),
];
