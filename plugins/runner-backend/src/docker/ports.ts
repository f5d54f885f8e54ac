import dgram from 'node:dgram';
import net from 'node:net';
import { PortInUseError, type PortMapping } from './types';

/*
 * Host ports are decided by the runner, not by Docker: a fixed port is checked
 * free before anything is created (so a conflict names the port and leaves no
 * container behind), and a port without a fixed host port gets a free
 * ephemeral one, so the published port is known before start.
 *
 * "Free" is tested by binding 127.0.0.1:<port> ourselves, which only means
 * something when the engine shares this machine's loopback. For a remote
 * engine the check is skipped and Docker picks ephemeral ports itself; a
 * conflict then still surfaces at start (see portConflictIn).
 */

export const LOOPBACK = '127.0.0.1';

export interface ResolvedPort {
  containerPort: number;
  protocol: 'tcp' | 'udp';
  /** undefined: let the engine choose (remote engines only). */
  hostPort: number | undefined;
  /** True when the runner chose the port; a conflict on it is retried, not reported. */
  ephemeral: boolean;
}

type Binding = { close(): Promise<void>; port: number };

function bindTcp(port: number): Promise<Binding> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: LOOPBACK, port, exclusive: true }, () => {
      const address = server.address() as net.AddressInfo;
      resolve({
        port: address.port,
        close: () => new Promise(done => server.close(() => done())),
      });
    });
  });
}

function bindUdp(port: number): Promise<Binding> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: false });
    socket.unref();
    socket.once('error', reject);
    socket.bind({ address: LOOPBACK, port, exclusive: true }, () => {
      resolve({
        port: socket.address().port,
        close: () => new Promise(done => socket.close(() => done())),
      });
    });
  });
}

function bind(protocol: 'tcp' | 'udp', port: number): Promise<Binding> {
  return protocol === 'udp' ? bindUdp(port) : bindTcp(port);
}

/** Throws PortInUseError when 127.0.0.1:<port> cannot be bound. */
export async function assertPortFree(
  port: number,
  protocol: 'tcp' | 'udp' = 'tcp',
): Promise<void> {
  let binding: Binding;
  try {
    binding = await bind(protocol, port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new PortInUseError(port);
    }
    // EACCES (a port below 1024 for an unprivileged backend) and the like:
    // we cannot tell, but the engine (root) can; its conflict is mapped at start.
    return;
  }
  await binding.close();
}

/**
 * Resolves every mapping to a concrete host port. Ephemeral ports are held
 * open until all are chosen, so one request never gets the same port twice.
 */
export async function resolvePorts(
  mappings: PortMapping[],
  probeLocally: boolean,
): Promise<ResolvedPort[]> {
  if (!probeLocally) {
    // A preferred port is only asked for; taken, it fails the start as a
    // conflict on a runner-chosen port, and the retry goes without it.
    return mappings.map(m => ({
      containerPort: m.containerPort,
      protocol: m.protocol,
      hostPort: m.hostPort ?? m.preferredHostPort,
      ephemeral: m.hostPort === undefined,
    }));
  }
  for (const m of mappings) {
    if (m.hostPort !== undefined) await assertPortFree(m.hostPort, m.protocol);
  }
  const held: Binding[] = [];
  try {
    const resolved: ResolvedPort[] = [];
    for (const m of mappings) {
      if (m.hostPort !== undefined) {
        resolved.push({
          containerPort: m.containerPort,
          protocol: m.protocol,
          hostPort: m.hostPort,
          ephemeral: false,
        });
        continue;
      }
      const binding = await bindPreferred(m.protocol, m.preferredHostPort);
      held.push(binding);
      resolved.push({
        containerPort: m.containerPort,
        protocol: m.protocol,
        hostPort: binding.port,
        ephemeral: true,
      });
    }
    return resolved;
  } finally {
    await Promise.all(held.map(b => b.close()));
  }
}

/** The preferred port when it can be bound now, else any free one. */
async function bindPreferred(
  protocol: 'tcp' | 'udp',
  preferred: number | undefined,
): Promise<Binding> {
  if (preferred !== undefined) {
    try {
      return await bind(protocol, preferred);
    } catch {
      // In use (or not ours to bind): a fresh port, and the caller says so.
    }
  }
  return bind(protocol, 0);
}

/** The mappings without preferences: what a retry after a conflict asks for. */
export function withoutPreferredPorts(mappings: PortMapping[]): PortMapping[] {
  return mappings.map(({ preferredHostPort: _, ...m }) => m);
}

/**
 * The host port named in an engine's bind-conflict error, e.g.
 * "Bind for 127.0.0.1:8080 failed: port is already allocated" or
 * "listen tcp4 127.0.0.1:8080: bind: address already in use".
 */
export function portConflictIn(message: string): number | undefined {
  if (!/port is already allocated|address already in use/i.test(message)) {
    return undefined;
  }
  const match = /(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:]*\]):(\d{1,5})/i.exec(
    message,
  );
  return match ? Number(match[1]) : undefined;
}

/** True when the engine shares this machine's loopback interface. */
export function isLocalEndpoint(endpoint: string): boolean {
  try {
    const url = new URL(endpoint);
    if (url.protocol === 'unix:' || url.protocol === 'npipe:') return true;
    return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}
