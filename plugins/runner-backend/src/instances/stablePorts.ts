import type { InstancePort } from '@internal/plugin-runner-common';
import type { PortMapping, PublishedPort } from '../docker/types';

/*
 * A restart keeps the instance's address: a port without a fixed host port
 * asks for the one it published last time (docker/ takes it when it is
 * free), and when it could not have it the instance's events say so, since a
 * bookmarked link stops working.
 */

const key = (p: { containerPort: number; protocol: string }) =>
  `${p.containerPort}/${p.protocol}`;

/** The configured mappings, each runner-chosen one preferring its previous host port. */
export function preferPreviousPorts(
  mappings: PortMapping[],
  previous: InstancePort[],
): PortMapping[] {
  const before = new Map(previous.map(p => [key(p), p.hostPort]));
  return mappings.map(m =>
    m.hostPort === undefined && before.has(key(m))
      ? { ...m, preferredHostPort: before.get(key(m)) }
      : m,
  );
}

/** Says which ports moved, or undefined when every previous port was kept. */
export function movedPortsMessage(
  previous: InstancePort[],
  published: PublishedPort[],
): string | undefined {
  const now = new Map(published.map(p => [key(p), p]));
  const moved = previous.flatMap(p => {
    const current = now.get(key(p));
    return current && current.hostPort !== p.hostPort
      ? [
          `${key(p)} from ${p.hostIp}:${p.hostPort} to ${current.hostIp}:${
            current.hostPort
          }`,
        ]
      : [];
  });
  if (moved.length === 0) return undefined;
  return `published port ${moved.join(
    ', ',
  )}: the previous host port was in use, so links to it no longer reach this instance`;
}
