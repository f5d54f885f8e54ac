import net from 'node:net';

/*
 * String formats the API server checks in CRD schemas (kube-openapi's strfmt
 * registry), implemented with the same acceptance rules. Formats it does not
 * know (`int32`, `int64`, `float`, …) are not checked there either, so they
 * are left out here.
 */

const BASE64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// kube-openapi's strfmt.IsDateTime: the time part after the first `t`, with
// `.` meaning any character (as in its regexp) and a zone that is required.
const TIME_PART =
  /^([0-9]{2}):([0-9]{2}):([0-9]{2})([^\n][0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/u;
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

/** strfmt.IsDateTime: lowercased, split on `t`, date and time parts checked apart. */
function isDateTime(value: string): boolean {
  if (value.length < 4) return false;
  const parts = value.toLowerCase().split('t');
  if (parts.length < 2 || !DATE.test(parts[0]) || !isValidDate(parts[0])) {
    return false;
  }
  const m = TIME_PART.exec(parts[1]);
  return Boolean(m) && m![1] <= '23' && m![2] <= '59' && m![3] <= '59';
}

/*
 * Go's url.ParseRequestURI, which strfmt's `uri` uses: no control bytes; a
 * scheme (letter first) or else an absolute path; after `scheme:` anything
 * not starting with `/` is an opaque part; `//authority` needs a valid port
 * and host characters; %-escapes must be well formed (in the host only
 * %25 or bytes ≥ 0x80). A fragment is not split off: `#` is path.
 */
const HOST_OK =
  // eslint-disable-next-line no-control-regex
  /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:[\]<>"]|%[0-9A-Fa-f]{2}|[^\x00-\x7f])*$/u;
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

function validHost(host: string): boolean {
  let name = host;
  if (host.startsWith('[')) {
    const end = host.lastIndexOf(']');
    if (end < 0 || !/^(:[0-9]*)?$/.test(host.slice(end + 1))) return false;
    name = host.slice(0, end + 1);
  } else {
    const colon = host.lastIndexOf(':');
    if (colon >= 0) {
      if (!/^:[0-9]*$/.test(host.slice(colon))) return false;
      name = host.slice(0, colon);
    }
  }
  if (!HOST_OK.test(name) || BAD_ESCAPE.test(name)) return false;
  // In a host an escape may only stand for a byte ≥ 0x80, or be %25.
  return [...name.matchAll(/%([0-9A-Fa-f]{2})/g)].every(
    m => parseInt(m[1], 16) >= 0x80 || m[1] === '25',
  );
}

function isRequestURI(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (value === '' || /[\x00-\x1f\x7f]/.test(value)) return false;
  if (value === '*') return true;
  const scheme = /^([A-Za-z][A-Za-z0-9+\-.]*):/.exec(value);
  if (!scheme && value.startsWith(':')) return false;
  let rest = scheme ? value.slice(scheme[0].length) : value;
  rest = rest.split('?')[0];
  if (!rest.startsWith('/')) return Boolean(scheme);
  if (scheme && rest.startsWith('//')) {
    const authority = rest.slice(2).split('/')[0];
    const at = authority.lastIndexOf('@');
    const userinfo = at >= 0 ? authority.slice(0, at) : '';
    if (
      !validHost(authority.slice(at + 1)) ||
      BAD_ESCAPE.test(userinfo) ||
      !/^[A-Za-z0-9\-._~!$&'()*+,;=:%@]*$/.test(userinfo)
    ) {
      return false;
    }
    rest = rest.slice(2 + authority.length);
  }
  return !BAD_ESCAPE.test(rest);
}

export const KUBERNETES_FORMATS: Record<string, (value: string) => boolean> = {
  // The API server refuses an empty string as `byte`.
  byte: value => value !== '' && BASE64.test(value),
  'date-time': isDateTime,
  datetime: isDateTime,
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
