/*
 * Byte sizes and CPU counts as Docker accepts them. Sizes are binary
 * (1k = 1024), like `docker run --memory`, so a value copied from a docker
 * command line means the same thing here.
 */

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
};

// `512m`, `512M`, `512mb`, `512MiB`, `1.5g`, `1 g`, `536870912`
const SIZE_PATTERN = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?$/i;

/** Bytes for `512m`, `1g`, `1.5GiB` or a whole number of bytes; undefined when it is none of these. */
export function parseByteSize(raw: unknown): number | undefined {
  if (typeof raw === 'number') {
    return Number.isSafeInteger(raw) && raw > 0 ? raw : undefined;
  }
  if (typeof raw !== 'string') {
    return undefined;
  }
  const match = SIZE_PATTERN.exec(raw.trim());
  if (!match) {
    return undefined;
  }
  const bytes = Math.floor(
    Number(match[1]) * UNITS[match[2].toLocaleLowerCase('en-US')],
  );
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

/** A size for messages: `512 MiB (536870912 bytes)`. */
export function formatBytes(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 'bytes';
  for (const next of units) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  if (unit === 'bytes') {
    return `${bytes} bytes`;
  }
  const rounded = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${rounded} ${unit} (${bytes} bytes)`;
}

/** CPUs from `0.5`, `"0.5"` or `"2"`; undefined when not a finite number. */
export function parseCpus(raw: unknown): number | undefined {
  if (typeof raw === 'number') {
    return Number.isFinite(raw) ? raw : undefined;
  }
  if (typeof raw === 'string' && /^\d+(?:\.\d+)?$/.test(raw.trim())) {
    return Number(raw.trim());
  }
  return undefined;
}
