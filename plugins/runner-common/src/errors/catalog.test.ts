import {
  ERROR_CATEGORY_DESCRIPTIONS,
  ERROR_CODE_TABLE,
  errorCodeInfo,
  isCategorizedError,
  isErrorCode,
} from './catalog';
import { ERROR_CATEGORIES } from './types';

describe('error code table', () => {
  it('has unique codes, grouped by category in ERROR_CATEGORIES order', () => {
    const codes = ERROR_CODE_TABLE.map(row => row.code);
    expect(new Set(codes).size).toBe(codes.length);
    const order = ERROR_CODE_TABLE.map(row =>
      ERROR_CATEGORIES.indexOf(row.category),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('covers every category with at least one code and a description', () => {
    for (const category of ERROR_CATEGORIES) {
      expect(ERROR_CODE_TABLE.some(row => row.category === category)).toBe(
        true,
      );
      expect(ERROR_CATEGORY_DESCRIPTIONS[category]).toMatch(/\w{3}/);
    }
  });

  it('covers every failure the monitoring issue lists', () => {
    // Issue "Monitoring, alerts and error categorization", item 4.
    for (const code of [
      'DOCKER_UNREACHABLE',
      'BUILD_STEP_FAILED',
      'BASE_IMAGE_MISSING',
      'PORT_IN_USE',
      'INVALID_RESOURCE_LIMIT',
      'OOM_KILLED',
      'BUILD_TIMEOUT',
      'SOURCE_NOT_FOUND',
      'SOURCE_AUTH_FAILED',
      'SOURCE_NETWORK',
      'CONFIG_INVALID',
      'K8S_UNREACHABLE',
      'K8S_FORBIDDEN',
      'K8S_CONFLICT',
      'K8S_INVALID',
      'PERMISSION_DENIED',
      'UNKNOWN',
    ]) {
      expect(isErrorCode(code)).toBe(true);
    }
  });

  it('covers every failure a Kubernetes workload can end in', () => {
    for (const code of [
      'REGISTRY_UNREACHABLE',
      'REGISTRY_AUTH_FAILED',
      'REGISTRY_PUSH_REJECTED',
      'K8S_IMAGE_PULL_FAILED',
      'K8S_CRASH_LOOP',
      'K8S_OOM_KILLED',
      'K8S_UNSCHEDULABLE',
      'K8S_QUOTA_EXCEEDED',
      'K8S_FORBIDDEN',
      'K8S_JOB_DEADLINE_EXCEEDED',
    ]) {
      expect(isErrorCode(code)).toBe(true);
    }
    expect(errorCodeInfo('K8S_OOM_KILLED').category).toBe('oom');
    expect(errorCodeInfo('K8S_UNSCHEDULABLE').category).toBe('resource-limit');
  });

  it('names something to act on in every remediation that a retry does not fix', () => {
    for (const row of ERROR_CODE_TABLE.filter(r => !r.recoverable)) {
      // A backticked token is an annotation, config key, command or file.
      expect({
        code: row.code,
        hasToken: /`[^`]+`/.test(row.remediation),
      }).toEqual({
        code: row.code,
        hasToken: true,
      });
    }
  });

  it('keeps user failures final, and platform failures retryable unless the host must change', () => {
    const userRetryable = ERROR_CODE_TABLE.filter(
      r => r.origin === 'user' && r.recoverable,
    ).map(r => r.code);
    const platformFinal = ERROR_CODE_TABLE.filter(
      r => r.origin === 'platform' && !r.recoverable,
    ).map(r => r.code);
    expect(userRetryable).toEqual([]);
    // A retry cannot fix these: the engine's host or its access must change,
    // or nobody knows what happened.
    expect(platformFinal).toEqual([
      'RESOURCE_LIMIT_UNSUPPORTED',
      'DOCKER_ACCESS_DENIED',
      'UNKNOWN',
    ]);
  });

  it('returns a row by code and rejects unknown codes', () => {
    expect(errorCodeInfo('OOM_KILLED')).toMatchObject({
      code: 'OOM_KILLED',
      category: 'oom',
      severity: 'high',
      recoverable: false,
    });
    expect(() => errorCodeInfo('NOPE' as any)).toThrow("'NOPE'");
    expect(isErrorCode('toString')).toBe(false);
  });
});

describe('isCategorizedError', () => {
  const valid = {
    category: 'port',
    code: 'PORT_IN_USE',
    severity: 'medium',
    recoverable: true,
    origin: 'platform',
    userMessage: 'Host port 127.0.0.1:8080 is already taken.',
    remediation: 'Stop it.',
    detail: 'Bind for 127.0.0.1:8080 failed: port is already allocated',
  };

  it('accepts a well-formed error', () => {
    expect(isCategorizedError(valid)).toBe(true);
  });

  it.each([
    ['a code from another category', { ...valid, category: 'oom' }],
    ['an unknown code', { ...valid, code: 'PORT_TAKEN' }],
    ['a bad severity', { ...valid, severity: 'urgent' }],
    ['a missing detail', { ...valid, detail: undefined }],
    ['a string recoverable', { ...valid, recoverable: 'yes' }],
  ])('rejects %s', (_, value) => {
    expect(isCategorizedError(value)).toBe(false);
  });

  it('rejects non-objects', () => {
    expect(isCategorizedError(null)).toBe(false);
    expect(isCategorizedError('PORT_IN_USE')).toBe(false);
  });
});
