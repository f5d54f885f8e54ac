import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { GatewayFinding } from '@internal/plugin-runner-common';
import { sharedCrdRegistry, sharedFixturesDir } from '../__testUtils__/shared';
import { renderApiServerError } from './apiServerError';
import { ObjectValidator, objectRefOf } from './ObjectValidator';
import { asGoTypedClientSendsIt } from './__testUtils__/apiServerOracle/oracleCases';

/*
 * Conformance with upstream: envoyproxy/ai-gateway v1.1.0 creates each
 * fixture on a real API server (envtest) and records the outcome in
 * expectations.json. The validator must agree with every row.
 */

interface Expectation {
  valid: boolean;
  error_contains?: string;
}

/*
 * expectations.json comes with ../shared only; the pinned upstream files have
 * no such list. Without it this suite does not run: the verdicts are then
 * checked against a real API server (apiServerOracle/), the messages only
 * here.
 */
const expectationsFile = path.join(sharedFixturesDir(), 'expectations.json');
const expectations: Record<string, Expectation> = fs.existsSync(
  expectationsFile,
)
  ? JSON.parse(fs.readFileSync(expectationsFile, 'utf8'))
  : {};
const describeIfListed =
  Object.keys(expectations).length > 0 ? describe : describe.skip;

function loadFixture(file: string): Record<string, unknown> {
  return parse(fs.readFileSync(path.join(sharedFixturesDir(), file), 'utf8'));
}

// Loading and compiling every CRD takes seconds on a loaded CI machine.
jest.setTimeout(120_000);

describeIfListed('AI Gateway CRD conformance (expectations.json)', () => {
  let validator: ObjectValidator;
  const agreed: string[] = [];

  beforeAll(async () => {
    validator = new ObjectValidator(await sharedCrdRegistry());
  });

  afterAll(() => {
    // eslint-disable-next-line no-console
    console.log(
      `conformance: ${agreed.length}/${
        Object.keys(expectations).length
      } rows of expectations.json agreed`,
    );
  });

  it('has rows to check', () => {
    expect(Object.keys(expectations).length).toBeGreaterThan(60);
  });

  async function errorsFor(file: string) {
    const raw = loadFixture(file);
    const registry = await sharedCrdRegistry();
    const crd = registry.get(String(raw.apiVersion), String(raw.kind));
    if (!crd) throw new Error(`no CRD serves ${raw.apiVersion} ${raw.kind}`);
    const object = asGoTypedClientSendsIt(crd.schema, raw) as Record<
      string,
      unknown
    >;
    const errors = validator
      .validate(object)
      .filter((f: GatewayFinding) => f.severity === 'error');
    return {
      errors,
      rendered: renderApiServerError(objectRefOf(object), errors),
    };
  }

  const rows = Object.entries(expectations);
  const validRows = rows.filter(([, e]) => e.valid).map(([file]) => file);
  const invalidRows = rows
    .filter(([, e]) => !e.valid)
    .map(([file, e]) => [file, e.error_contains ?? ''] as const);

  it.each(validRows)('%s is accepted', async file => {
    const { errors } = await errorsFor(file);
    expect(errors).toEqual([]);
    agreed.push(file);
  });

  it.each(invalidRows)('%s is rejected with %j', async (file, expected) => {
    const { errors, rendered } = await errorsFor(file);
    expect(errors.length).toBeGreaterThan(0);
    expect(expected).not.toBe('');
    expect(rendered).toContain(expected);
    agreed.push(file);
  });

  it('reports a required field missing from the raw YAML as the API server does', () => {
    const raw = loadFixture('backendsecuritypolicies/missing_type.yaml');
    const rendered = renderApiServerError(
      objectRefOf(raw),
      validator.validate(raw),
    );
    expect(rendered).toContain('spec.type: Required value');
  });
});
