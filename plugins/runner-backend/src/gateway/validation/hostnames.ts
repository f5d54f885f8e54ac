import net from 'node:net';

/*
 * Host names as Gateway API and Envoy Gateway take them. What the CRD
 * patterns refuse (uppercase, `_`, empty labels, IPv6, a wildcard outside a
 * route, more than 253 characters) is an error: the API server refuses it
 * too, and saying so here works without a CRD loaded. What the API server
 * accepts is an error only where it certainly cannot work (a Backend FQDN
 * with a label DNS cannot carry), else a warning saying what will happen.
 */

/** Where a host name is: a route's `spec.hostnames`, a Backend's `fqdn.hostname`, a BackendTLSPolicy's `validation.hostname`. */
export type HostnameField = 'route' | 'backend' | 'tls';

export interface HostnameProblem {
  severity: 'error' | 'warning';
  message: string;
}

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const IPV4_MEANS: Record<HostnameField, string> = {
  route:
    'the API server accepts it, but Gateway API route hostnames are names, not IP addresses: only requests whose Host header is exactly this address match',
  backend:
    'the API server accepts it, and the address is resolved as a DNS name (to itself); spec.endpoints[].ip says it directly',
  tls: 'the API server accepts it, but it is sent as TLS SNI and matched against the certificate as a DNS name, which certificates for an IP address do not carry: the handshake will most likely fail',
};

/** Why a host name is not acceptable, or undefined when it is. */
export function hostnameProblem(
  hostname: string,
  field: HostnameField,
): HostnameProblem | undefined {
  const error = (message: string): HostnameProblem => ({
    severity: 'error',
    message,
  });
  if (hostname.length === 0) return error('must not be empty');
  if (hostname.length > 253) {
    return error('must be no more than 253 characters');
  }
  if (net.isIPv6(hostname)) {
    return error('must be a host name, not an IP address');
  }
  let rest = hostname;
  if (rest.startsWith('*.')) {
    if (field !== 'route') return error('must not be a wildcard');
    rest = rest.slice(2);
  }
  const labels = rest.split('.');
  if (!labels.every(label => LABEL.test(label))) {
    return error(
      field === 'route'
        ? 'must be a lowercase RFC 1123 host name (labels of a-z, 0-9 and "-", separated by "."), optionally starting with "*."'
        : 'must be a lowercase RFC 1123 host name (labels of a-z, 0-9 and "-", separated by ".")',
    );
  }
  if (net.isIPv4(rest)) {
    return { severity: 'warning', message: IPV4_MEANS[field] };
  }
  const long = labels.find(label => label.length > 63);
  if (long) {
    const label = `label "${long.slice(0, 20)}…" is longer than 63 characters`;
    return field === 'backend'
      ? error(`${label}: DNS cannot resolve such a name`)
      : {
          severity: 'warning',
          message: `${label}: the API server accepts it, but no DNS name has such a label, so clients cannot resolve it`,
        };
  }
  return undefined;
}
