import { ERROR_CODE_TABLE } from '@internal/plugin-runner-common';
import { REDACTED, redactSecrets } from './redactSecrets';

/*
 * Secrets are assembled at run time so that this file holds no string a
 * secret scanner would flag, while each value still has the real shape.
 */
const AWS_KEY_ID = ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('');
const AWS_SECRET = ['wJalrXUtnFEMI', '/K7MDENG/bPxRfiCY', 'EXAMPLEKEY'].join(
  '',
);
const OPENAI_KEY = ['sk-proj-', 'Xy12Ab34Cd56Ef78Gh90', 'Ij12Kl34Mn56'].join(
  '',
);
const GITHUB_TOKEN = ['ghp_', 'a1B2c3D4e5F6g7H8i9J0', 'k1L2m3N4o5P6'].join('');
const GITLAB_TOKEN = ['glpat-', 'xY9zW8vU7tS6rQ5pO4nM'].join('');
const JWT = [
  'eyJhbGciOiJSUzI1NiIsImtpZCI6IiJ9',
  'eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50In0',
  'c2lnbmF0dXJlLWJ5dGVz',
].join('.');
const PRIVATE_KEY = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
  'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK',
  '-----END RSA PRIVATE KEY-----',
].join('\n');

describe('redactSecrets', () => {
  it('removes every occurrence of a known secret, also URL- and JSON-encoded', () => {
    const secret = 'p@ss "word"/42';
    const text = [
      `env DB_PASSWORD_VALUE ${secret} and again ${secret}`,
      `url https://example.com/?q=${encodeURIComponent(secret)}`,
      `json ${JSON.stringify({ value: secret })}`,
      // client-node's ApiException message: a JSON string of a JSON body.
      `body ${JSON.stringify(JSON.stringify({ value: secret }))}`,
    ].join('\n');
    const out = redactSecrets(text, [secret]);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(encodeURIComponent(secret));
    expect(out).not.toContain('ss \\"word');
    expect(out).not.toContain('ss \\\\\\"word');
    expect(out.split(REDACTED).length - 1).toBeGreaterThanOrEqual(5);
  });

  it('removes the longer of two overlapping secrets whole', () => {
    const out = redactSecrets('token abcdef-123456 here', [
      'abcdef',
      'abcdef-123456',
    ]);
    expect(out).toBe(`token ${REDACTED} here`);
  });

  it('ignores blank secrets instead of erasing every space', () => {
    expect(redactSecrets('a b c', ['', '   '])).toBe('a b c');
  });

  it.each([
    ['a bearer header', `Authorization: Bearer ${JWT}`, JWT],
    [
      'a basic header',
      'authorization: Basic cnVubmVyOnMzY3IzdA==',
      'cnVubmVyOnMzY3IzdA==',
    ],
    [
      'a JSON header map',
      `Headers: {"authorization":"Bearer abc.def-123","content-type":"application/json"}`,
      'abc.def-123',
    ],
    [
      'an X-Registry-Auth header',
      'X-Registry-Auth: eyJ1c2VybmFtZSI6InJ1bm5lciJ9',
      'eyJ1c2VybmFtZSI6InJ1bm5lciJ9',
    ],
    [
      'a password assignment',
      'connect failed: password=hunter2 user=app',
      'hunter2',
    ],
    [
      'a JSON client secret',
      '{"client_secret": "s3cr3t-value", "id": 1}',
      's3cr3t-value',
    ],
    [
      'a token query parameter',
      'GET /x?access_token=tok123abc&page=2',
      'tok123abc',
    ],
    ['an env-style secret', 'API_KEY=abcd1234efgh', 'abcd1234efgh'],
    [
      'user:password in a URL',
      'fatal: unable to access https://runner:s3cr3t@git.example.com/org/app.git/',
      's3cr3t',
    ],
    [
      'a token as URL user',
      `clone https://${GITHUB_TOKEN}@github.com/org/app.git`,
      GITHUB_TOKEN,
    ],
    [
      'an AWS access key id',
      `The AWS Access Key Id ${AWS_KEY_ID} does not exist`,
      AWS_KEY_ID,
    ],
    ['an AWS secret key', `aws_secret ${AWS_SECRET} end`, AWS_SECRET],
    [
      'an sk- API key',
      `Incorrect API key provided: ${OPENAI_KEY}.`,
      OPENAI_KEY,
    ],
    ['a GitHub token', `token was ${GITHUB_TOKEN}`, GITHUB_TOKEN],
    ['a GitLab token', `PRIVATE-TOKEN ${GITLAB_TOKEN}`, GITLAB_TOKEN],
    ['a service-account JWT', `kubeconfig user token ${JWT} rejected`, JWT],
    [
      'a private key block',
      `key:\n${PRIVATE_KEY}\ndone`,
      'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
    ],
    [
      'a cut private key block',
      PRIVATE_KEY.slice(0, 120),
      'MIIEowIBAAKCAQEAu1SU1Lf',
    ],
  ])('removes %s', (_, text, secret) => {
    const out = redactSecrets(text);
    expect(out).not.toContain(secret);
    expect(out).toContain('REDACTED');
  });

  it('keeps what makes a detail useful', () => {
    const text = [
      'Bind for 127.0.0.1:8080 failed: port is already allocated',
      'commit 3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39',
      'container 27d7502e5ec13d315abd846ab3d0871328dfe0e9a8be7631899673abbf58f82a',
      "fatal: Authentication failed for 'http://127.0.0.1:18766/private.git/'",
      'Basic authentication failed; the token expired',
      'ssh://git@github.com/org/app.git',
      'WWW-Authenticate: Bearer realm="https://auth.docker.io/token",service="registry.docker.io"',
    ].join('\n');
    // Everything but the WWW-Authenticate value stays verbatim.
    const out = redactSecrets(text);
    expect(out.split('\n').slice(0, 6)).toEqual(text.split('\n').slice(0, 6));
  });

  it('leaves every remediation of the code table as written', () => {
    for (const row of ERROR_CODE_TABLE) {
      expect(redactSecrets(row.remediation)).toBe(row.remediation);
      expect(redactSecrets(row.userMessage)).toBe(row.userMessage);
    }
  });
});
