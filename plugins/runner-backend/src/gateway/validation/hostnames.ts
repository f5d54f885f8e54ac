import net from 'node:net';

/*
 * Host names as Gateway API and Envoy Gateway accept them: lowercase RFC 1123
 * (labels of [a-z0-9-], at most 63 characters each, 253 in total), never an
 * IP address; route hostnames may start with a `*.` wildcard label.
 */

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why a host name is not acceptable, or undefined when it is. */
export function hostnameProblem(
  hostname: string,
  { allowWildcard }: { allowWildcard: boolean },
): string | undefined {
  if (hostname.length === 0) return 'must not be empty';
  if (hostname.length > 253) return 'must be no more than 253 characters';
  if (net.isIP(hostname)) return 'must be a host name, not an IP address';
  let rest = hostname;
  if (rest.startsWith('*.')) {
    if (!allowWildcard) return 'must not be a wildcard';
    rest = rest.slice(2);
  }
  const labels = rest.split('.');
  for (const label of labels) {
    if (label.length > 63) {
      return `label "${label.slice(
        0,
        20,
      )}…" must be no more than 63 characters`;
    }
    if (!LABEL.test(label)) {
      return allowWildcard
        ? 'must be a lowercase RFC 1123 host name (labels of a-z, 0-9 and "-", separated by "."), optionally starting with "*."'
        : 'must be a lowercase RFC 1123 host name (labels of a-z, 0-9 and "-", separated by ".")';
    }
  }
  return undefined;
}
