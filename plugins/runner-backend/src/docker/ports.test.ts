import net from 'node:net';
import {
  assertPortFree,
  isLocalEndpoint,
  portConflictIn,
  resolvePorts,
  withoutPreferredPorts,
} from './ports';
import { PortInUseError } from './types';

function listen(): Promise<net.Server> {
  return new Promise(resolve => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

describe('ports', () => {
  it('reports a taken port and accepts a free one', async () => {
    const server = await listen();
    const port = (server.address() as net.AddressInfo).port;
    await expect(assertPortFree(port)).rejects.toEqual(
      new PortInUseError(port),
    );
    await new Promise(resolve => server.close(resolve));
    await expect(assertPortFree(port)).resolves.toBeUndefined();
  });

  it('picks distinct ephemeral ports and keeps fixed ones', async () => {
    const resolved = await resolvePorts(
      [
        { containerPort: 8080, protocol: 'tcp' },
        { containerPort: 8081, protocol: 'tcp' },
        { containerPort: 53, protocol: 'udp' },
        { containerPort: 9000, protocol: 'tcp', hostPort: 1 },
      ],
      true,
    );
    const [a, b, c, fixed] = resolved;
    expect(a.ephemeral && b.ephemeral && c.ephemeral).toBe(true);
    expect(a.hostPort).not.toBe(b.hostPort);
    expect(c).toMatchObject({ protocol: 'udp', containerPort: 53 });
    expect(c.hostPort).toBeGreaterThan(0);
    // Port 1 cannot be bound without privileges: unknown, left to the engine.
    expect(fixed).toEqual({
      containerPort: 9000,
      protocol: 'tcp',
      hostPort: 1,
      ephemeral: false,
    });
  });

  it('takes the preferred port when it is free, and another when it is not', async () => {
    const server = await listen();
    const taken = (server.address() as net.AddressInfo).port;
    const [free] = await resolvePorts(
      [{ containerPort: 8080, protocol: 'tcp' }],
      true,
    );
    const resolved = await resolvePorts(
      [
        {
          containerPort: 8080,
          protocol: 'tcp',
          preferredHostPort: free.hostPort,
        },
        { containerPort: 8081, protocol: 'tcp', preferredHostPort: taken },
      ],
      true,
    );
    await new Promise(resolve => server.close(resolve));
    expect(resolved[0]).toEqual({
      containerPort: 8080,
      protocol: 'tcp',
      hostPort: free.hostPort,
      ephemeral: true,
    });
    expect(resolved[1].ephemeral).toBe(true);
    expect(resolved[1].hostPort).not.toBe(taken);
    // A remote engine is asked for the preferred port; a retry drops it.
    const mappings = [
      { containerPort: 80, protocol: 'tcp' as const, preferredHostPort: 18080 },
    ];
    await expect(resolvePorts(mappings, false)).resolves.toEqual([
      { containerPort: 80, protocol: 'tcp', hostPort: 18080, ephemeral: true },
    ]);
    expect(withoutPreferredPorts(mappings)).toEqual([
      { containerPort: 80, protocol: 'tcp' },
    ]);
  });

  it('leaves ports to a remote engine', async () => {
    await expect(
      resolvePorts([{ containerPort: 80, protocol: 'tcp' }], false),
    ).resolves.toEqual([
      {
        containerPort: 80,
        protocol: 'tcp',
        hostPort: undefined,
        ephemeral: true,
      },
    ]);
  });

  it('reads the port from the engine bind errors', () => {
    expect(
      portConflictIn(
        'driver failed programming external connectivity on endpoint x (abc): Bind for 127.0.0.1:8080 failed: port is already allocated',
      ),
    ).toBe(8080);
    expect(
      portConflictIn(
        'driver failed programming external connectivity on endpoint x (abc): Error starting userland proxy: listen tcp4 127.0.0.1:18123: bind: address already in use',
      ),
    ).toBe(18123);
    expect(
      portConflictIn('exec: "nope": executable file not found'),
    ).toBeUndefined();
  });

  it('knows which endpoints share this loopback', () => {
    expect(isLocalEndpoint('unix:///run/docker.sock')).toBe(true);
    expect(isLocalEndpoint('tcp://127.0.0.1:2375')).toBe(true);
    expect(isLocalEndpoint('tcp://docker.example.com:2376')).toBe(false);
  });
});
