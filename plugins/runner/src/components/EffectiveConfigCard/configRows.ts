import { formatBytes, formatDuration } from '../../lib/format';

/** One leaf of the effective config, ready to show. */
export interface ConfigRow {
  /** Dotted key within its section, e.g. `resourceLimits.memoryBytes`. */
  key: string;
  value: string;
  /** Where the value came from, when the backend said. */
  origin?: string;
  secret: boolean;
}

export interface ConfigSection {
  name: string;
  rows: ConfigRow[];
}

// Top-level keys that are about the config rather than part of it.
const META_KEYS = new Set(['entityRef', 'origins']);

/**
 * Any object whose key starts with "secret" holds secret values. Matched by
 * name rather than by the one field known today (`run.secretEnv`), so a
 * secret field the backend adds later is masked too. The backend already
 * sends "set"; masking again here means a backend bug cannot put a secret
 * on screen.
 */
function isSecretKey(key: string): boolean {
  return /^secret/i.test(key);
}

/**
 * What a secret leaf shows: never its value. An empty secret group (no
 * secrets configured) is "None", an absent one "Not set", anything else "set".
 */
function secretValue(value: unknown): string {
  if (value === undefined || value === null) return 'Not set';
  if (isPlainObject(value) && Object.keys(value).length === 0) return 'None';
  return 'set';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function formatItem(item: unknown): string {
  if (isPlainObject(item) && 'containerPort' in item) {
    const port = `${item.containerPort}/${item.protocol ?? 'tcp'}`;
    return item.hostPort ? `${port} on host port ${item.hostPort}` : port;
  }
  return typeof item === 'string' ? item : JSON.stringify(item);
}

/** Units by naming convention: `…Ms` durations, `…Bytes` sizes, Docker's nanoCpus. */
function formatValue(key: string, value: unknown): string {
  if (value === undefined || value === null) return 'Not set';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') {
    if (/Ms$/.test(key)) return formatDuration(value);
    if (/Bytes$/.test(key)) return formatBytes(value);
    if (key === 'nanoCpus') return `${value / 1e9} CPU`;
    return String(value);
  }
  if (Array.isArray(value)) {
    return value.length === 0 ? 'None' : value.map(formatItem).join(', ');
  }
  if (isPlainObject(value)) return 'None'; // only reached for empty objects
  return String(value);
}

/** The origin of a dotted key: its own, or the nearest parent's. */
function originOf(
  origins: Record<string, string>,
  path: string,
): string | undefined {
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n--) {
    const origin = origins[parts.slice(0, n).join('.')];
    if (origin) return origin;
  }
  return undefined;
}

function flatten(
  value: Record<string, unknown>,
  prefix: string[],
  secret: boolean,
  out: Array<{ path: string[]; value: unknown; secret: boolean }>,
) {
  for (const [key, child] of Object.entries(value)) {
    const path = [...prefix, key];
    const childSecret = secret || isSecretKey(key);
    if (isPlainObject(child) && Object.keys(child).length > 0) {
      flatten(child, path, childSecret, out);
    } else {
      out.push({ path, value: child, secret: childSecret });
    }
  }
}

/**
 * The effective config as sections (docker, build, run, and whatever the
 * backend adds) of flat rows, rendered generically so that a new field
 * shows up without a frontend change.
 */
export function configSections(
  config: Record<string, unknown>,
): ConfigSection[] {
  const origins = isPlainObject(config.origins)
    ? (config.origins as Record<string, string>)
    : {};
  const sections: ConfigSection[] = [];
  for (const [name, section] of Object.entries(config)) {
    if (META_KEYS.has(name) || !isPlainObject(section)) continue;
    const leaves: Array<{ path: string[]; value: unknown; secret: boolean }> =
      [];
    flatten(section, [], isSecretKey(name), leaves);
    sections.push({
      name,
      rows: leaves.map(leaf => ({
        key: leaf.path.join('.'),
        value: leaf.secret
          ? secretValue(leaf.value)
          : formatValue(leaf.path[leaf.path.length - 1], leaf.value),
        origin: originOf(origins, [name, ...leaf.path].join('.')),
        secret: leaf.secret,
      })),
    });
  }
  return sections;
}
