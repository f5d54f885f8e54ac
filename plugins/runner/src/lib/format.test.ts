import { ResponseError } from '@backstage/errors';
import {
  displayRef,
  errorMessage,
  formatBytes,
  formatDuration,
  shortId,
} from './format';
import { backendError } from '../testing/errors';
import { notApplicableReason } from './instanceStates';

describe('format', () => {
  it('shortens instance ids to 8 characters and an ellipsis', () => {
    expect(shortId('3f2a1b2c-0000-4000-8000-000000000001')).toBe('3f2a1b2c…');
  });

  it.each([
    [0, '0s'],
    [42_000, '42s'],
    [303_000, '5m 3s'],
    [3_600_000, '1h'],
    [7_500_000, '2h 5m'],
    [273_600_000, '3d 4h'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('formats sizes in binary units', () => {
    expect(formatBytes(536870912)).toBe('512 MiB');
    expect(formatBytes(1610612736)).toBe('1.5 GiB');
    expect(formatBytes(100)).toBe('100 B');
  });

  it('shows the name of a user ref', () => {
    expect(displayRef('user:default/alice')).toBe('alice');
  });

  it("prefers the backend's message to ResponseError's prefixed one", async () => {
    const error = await backendError(409, 'limit reached');
    expect(ResponseError.is(error)).toBe(true);
    expect(errorMessage(error)).toBe('limit reached');
    expect(errorMessage(new Error('plain'))).toBe('plain');
  });
});

describe('notApplicableReason', () => {
  it('allows stop only on active instances that are not already stopping', () => {
    expect(notApplicableReason('stop', 'running')).toBeUndefined();
    expect(notApplicableReason('stop', 'building')).toBeUndefined();
    expect(notApplicableReason('stop', 'stopping')).toBe('Already stopping.');
    expect(notApplicableReason('stop', 'stopped')).toBe('Already stopped.');
  });

  it('allows restart except before it began or while it stops, and remove always', () => {
    expect(notApplicableReason('restart', 'failed')).toBeUndefined();
    expect(notApplicableReason('restart', 'pending')).toMatch(/wait/);
    expect(notApplicableReason('restart', 'stopping')).toMatch(/wait/);
    expect(notApplicableReason('remove', 'running')).toBeUndefined();
  });
});
