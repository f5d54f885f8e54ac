import { isCategorizedError } from '@internal/plugin-runner-common';
import { RuntimeError, isRuntimeError, runtimeError } from './RuntimeError';

describe('RuntimeError', () => {
  it('carries a well-formed failure from the taxonomy, with the specific words of this case', () => {
    const error = runtimeError(
      'K8S_FORBIDDEN',
      'deployments.apps is forbidden: User "system:serviceaccount:a:b" cannot create resource "deployments"',
      { userMessage: 'The runner may not create Deployments in namespace a.' },
    );
    expect(isCategorizedError(error.failure)).toBe(true);
    expect(error.failure).toMatchObject({
      category: 'kubernetes',
      code: 'K8S_FORBIDDEN',
      origin: 'user',
      recoverable: false,
      userMessage: 'The runner may not create Deployments in namespace a.',
    });
    // The default remediation of the code, since this case named none.
    expect(error.failure.remediation).toMatch(/kubectl auth can-i/);
    expect(error.message).toBe(
      'K8S_FORBIDDEN: The runner may not create Deployments in namespace a.',
    );
    expect(isRuntimeError(error)).toBe(true);
  });

  it('is recognized by shape across package copies, and nothing else is', () => {
    const copy = {
      name: 'RuntimeError',
      failure: runtimeError('OOM_KILLED', 'exit 137').failure,
    };
    expect(isRuntimeError(copy)).toBe(true);
    expect(isRuntimeError(new Error('RuntimeError'))).toBe(false);
    expect(isRuntimeError({ name: 'RuntimeError' })).toBe(false);
    expect(isRuntimeError(undefined)).toBe(false);
  });

  it('fills the placeholders it has values for and keeps the others for the reader', () => {
    const failure = runtimeError('K8S_QUOTA_EXCEEDED', 'exceeded quota: q', {
      values: { name: 'hello-http', namespace: 'team-a' },
    }).failure;
    expect(failure.remediation).toContain(
      'runner.components.hello-http.docker',
    );
    expect(failure.remediation).toContain('-n team-a');
    expect(
      runtimeError('K8S_QUOTA_EXCEEDED', 'x').failure.remediation,
    ).toContain('-n <namespace>');
  });

  it('never has an empty detail', () => {
    const error = new RuntimeError(runtimeError('UNKNOWN', '').failure);
    expect(error.failure.detail.length).toBeGreaterThan(0);
  });
});
