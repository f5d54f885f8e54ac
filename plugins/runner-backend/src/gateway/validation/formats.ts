import net from 'node:net';

/*
 * String formats the API server checks in CRD schemas (kube-openapi's strfmt
 * registry), implemented with the same acceptance rules. Formats it does not
 * know (`int32`, `int64`, `float`, …) are not checked there either, so they
 * are left out here.
 */

const BASE64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// RFC 3339 date-time as strfmt.ParseDateTime accepts it (with or without fraction/zone forms).
const DATE_TIME =
  /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID =
  /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const HOSTNAME =
  /^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$/u;

function isValidDate(text: string): boolean {
  const [y, m, d] = text.slice(0, 10).split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return (
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === m - 1 &&
    date.getUTCDate() === d
  );
}

/** An IP address as Kubernetes accepts it: no zone, no IPv4-mapped IPv6 form. */
export function isKubernetesIP(value: string): boolean {
  if (value.includes('%')) return false;
  if (net.isIPv4(value)) return true;
  return net.isIPv6(value) && !/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(value);
}

/** url.ParseRequestURI: an absolute URI or an absolute path. */
function isRequestURI(value: string): boolean {
  if (value.startsWith('/')) return !/\s/.test(value);
  try {
    const url = new URL(value);
    return Boolean(url.protocol) && !/\s/.test(value);
  } catch {
    return false;
  }
}

export const KUBERNETES_FORMATS: Record<string, (value: string) => boolean> = {
  byte: value => BASE64.test(value),
  'date-time': value => DATE_TIME.test(value) && isValidDate(value),
  datetime: value => DATE_TIME.test(value) && isValidDate(value),
  date: value => DATE.test(value) && isValidDate(value),
  uri: isRequestURI,
  ipv4: value => net.isIPv4(value),
  ipv6: value => net.isIPv6(value),
  cidr: value => {
    const [ip, bits, extra] = value.split('/');
    if (extra !== undefined || bits === undefined || !/^\d+$/.test(bits)) {
      return false;
    }
    const family = net.isIP(ip);
    return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
  },
  uuid: value => UUID.test(value),
  hostname: value => value.length <= 255 && HOSTNAME.test(value),
};
