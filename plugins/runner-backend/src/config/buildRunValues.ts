import path from 'node:path';
import type { EffectiveRunConfig } from './types';

/*
 * Values that can come from an annotation or from app-config
 * (`runner.components.<key>.build|run`). The parsers are shared so both
 * places accept the same forms; `fail` turns a problem into an error that
 * names where the value came from.
 */

export type PortSpec = EffectiveRunConfig['ports'][number];
export type Fail = (problem: string) => Error;

export const PORT_FORM =
  "use CONTAINER[/tcp|udp] or HOST:CONTAINER[/tcp|udp], comma-separated, e.g. '8080', '8080/tcp,9090/udp' or '18080:8080' (host port 18080 on 127.0.0.1 → container port 8080)";

function toPort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/**
 * One port in Docker's `-p` order: `8080`, `8080/udp`, `18080:8080`.
 * Host IPs are refused: ports are always published on 127.0.0.1.
 */
export function parsePort(raw: string | number, fail: Fail): PortSpec {
  const spec = String(raw).trim();
  const match = /^(?:([^:/]+):)?([^:/]+)(?:\/(tcp|udp))?$/i.exec(spec);
  const hostPort = match?.[1] === undefined ? undefined : toPort(match[1]);
  const containerPort = match ? toPort(match[2]) : undefined;
  if (
    !match ||
    containerPort === undefined ||
    (match[1] !== undefined && hostPort === undefined)
  ) {
    const hint =
      spec.split(':').length > 2
        ? ' (ports are always published on 127.0.0.1; no host IP)'
        : '';
    throw fail(`'${spec}' is not a port${hint}; ${PORT_FORM}`);
  }
  const protocol = (match[3]?.toLocaleLowerCase('en-US') ?? 'tcp') as
    | 'tcp'
    | 'udp';
  return hostPort === undefined
    ? { containerPort, protocol }
    : { containerPort, protocol, hostPort };
}

/** A list of ports; the same container port/protocol or host port twice is an error. */
export function parsePorts(
  list: Array<string | number>,
  fail: Fail,
): PortSpec[] {
  const ports = list.map(item => parsePort(item, fail));
  const seenContainer = new Set<string>();
  const seenHost = new Set<string>();
  for (const port of ports) {
    const container = `${port.containerPort}/${port.protocol}`;
    if (seenContainer.has(container)) {
      throw fail(`container port ${container} is listed twice; ${PORT_FORM}`);
    }
    seenContainer.add(container);
    if (port.hostPort !== undefined) {
      const host = `${port.hostPort}/${port.protocol}`;
      if (seenHost.has(host)) {
        throw fail(`host port ${host} is listed twice`);
      }
      seenHost.add(host);
    }
  }
  return ports;
}

/**
 * A path relative to a directory that must stay inside it (`Dockerfile`,
 * `docker/Dockerfile.prod`, `.`, `services/api`). Returned normalized with
 * forward slashes. Symlinks are checked later, on disk, by sources/.
 */
export function parseRelativePath(
  raw: string,
  fail: Fail,
  example: string,
): string {
  const value = raw.trim();
  if (value === '' || value.includes('\0')) {
    throw fail(`'${raw}' is empty; use a relative path such as '${example}'`);
  }
  if (path.posix.isAbsolute(value) || path.win32.isAbsolute(value)) {
    throw fail(
      `'${raw}' is absolute; use a path relative to its root such as '${example}'`,
    );
  }
  const normalized =
    path.posix.normalize(value.replace(/\\/g, '/')).replace(/\/+$/, '') || '.';
  if (normalized === '..' || normalized.startsWith('../')) {
    throw fail(
      `'${raw}' leaves its root; use a path inside it such as '${example}'`,
    );
  }
  return normalized;
}

/** Docker stage names: a letter, then letters, digits, `_`, `-` or `.`. */
export function parseBuildTarget(raw: string, fail: Fail): string {
  const value = raw.trim();
  if (!/^[A-Za-z][A-Za-z0-9_.-]*$/.test(value)) {
    throw fail(
      `'${raw}' is not a build stage name; use a name from a 'FROM … AS <name>' line such as 'runtime'`,
    );
  }
  return value;
}

/** An HTTP path starting with `/`, without spaces, as a probe requests it. */
export function parseHealthPath(raw: string, fail: Fail): string {
  const value = raw.trim();
  if (!/^\/[^\s#]*$/.test(value) || value.length > 2048) {
    throw fail(
      `'${raw}' is not an HTTP path; use a path starting with / such as '/healthz'`,
    );
  }
  return value;
}
