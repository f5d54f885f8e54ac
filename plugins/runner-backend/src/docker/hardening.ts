import type Docker from 'dockerode';
import { InputError } from '@backstage/errors';
import { RUNNER_LABELS, type RunRequest } from './types';
import { LOOPBACK, type ResolvedPort } from './ports';

/*
 * The container spec every runner container gets. Nothing here is optional
 * and no caller input can weaken it: requests only choose the image, env,
 * ports, limits, a read-only root and *extra* security options.
 */

/** The writable scratch space of a read-only container; it counts against the memory limit. */
export const READ_ONLY_TMPFS = 'rw,noexec,nosuid,nodev,size=64m';
/** Replaces a VOLUME the image declares, so no container writes to the host's disk. */
export const VOLUME_TMPFS = 'rw,nosuid,nodev,size=64m';

/** Docker refuses smaller memory limits. */
const MIN_MEMORY_BYTES = 6 * 1024 * 1024;
const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const ENV_NAME = /^[^=\0]+$/;

const LOG_DRIVERS = ['json-file', 'local'];

/** Security options that would undo a guarantee of this file. */
const FORBIDDEN_SECURITY_OPTIONS = /^no-new-privileges[:=](false|0)$/i;

function checkPort(value: number, what: string) {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new InputError(`${what} ${value} is not a port (1-65535)`);
  }
}

/** Throws InputError naming the first field of a request Docker must not see. */
export function validateRunRequest(req: RunRequest): void {
  if (!CONTAINER_NAME.test(req.name)) {
    throw new InputError(
      `Container name '${req.name}' is invalid; use letters, digits, '_', '.' and '-'`,
    );
  }
  if (!req.image) throw new InputError('No image to run');
  const { memoryBytes, nanoCpus, pidsLimit } = req.limits;
  if (!Number.isInteger(memoryBytes) || memoryBytes < MIN_MEMORY_BYTES) {
    throw new InputError(
      `Memory limit ${memoryBytes} bytes is invalid; Docker needs at least 6 MiB`,
    );
  }
  if (!Number.isInteger(nanoCpus) || nanoCpus <= 0) {
    throw new InputError(
      `CPU limit ${nanoCpus} NanoCpus is invalid; it must be a positive integer`,
    );
  }
  if (!Number.isInteger(pidsLimit) || pidsLimit <= 0) {
    throw new InputError(
      `PIDs limit ${pidsLimit} is invalid; it must be a positive integer`,
    );
  }
  const containerPorts = new Set<string>();
  const hostPorts = new Set<string>();
  for (const port of req.ports) {
    checkPort(port.containerPort, 'Container port');
    if (port.protocol !== 'tcp' && port.protocol !== 'udp') {
      throw new InputError(
        `Port protocol '${port.protocol}' is not tcp or udp`,
      );
    }
    const inside = `${port.containerPort}/${port.protocol}`;
    if (containerPorts.has(inside)) {
      throw new InputError(`Container port ${inside} is published twice`);
    }
    containerPorts.add(inside);
    if (port.hostPort !== undefined) {
      checkPort(port.hostPort, 'Host port');
      const outside = `${port.hostPort}/${port.protocol}`;
      if (hostPorts.has(outside)) {
        throw new InputError(`Host port ${outside} is requested twice`);
      }
      hostPorts.add(outside);
    }
  }
  for (const name of Object.keys(req.env)) {
    if (!ENV_NAME.test(name)) {
      throw new InputError(`Environment variable name '${name}' is invalid`);
    }
  }
  const rotation = req.logRotation;
  if (
    !rotation ||
    !LOG_DRIVERS.includes(rotation.driver) ||
    !Number.isSafeInteger(rotation.maxSizeBytes) ||
    rotation.maxSizeBytes < 1 ||
    !Number.isSafeInteger(rotation.maxFiles) ||
    rotation.maxFiles < 1
  ) {
    throw new InputError(
      `Log rotation ${JSON.stringify(
        rotation,
      )} is invalid; it needs a json-file or local driver, a size and a number of files`,
    );
  }
  for (const option of req.securityOptions) {
    if (FORBIDDEN_SECURITY_OPTIONS.test(option.trim())) {
      throw new InputError(
        `Security option '${option}' is not allowed: no-new-privileges is always on`,
      );
    }
  }
}

/**
 * The create body for `POST /containers/create`. `imageVolumes` are the
 * VOLUME paths the image declares: each gets a tmpfs instead of an anonymous
 * volume on the host.
 */
export function hardenedCreateOptions(
  req: RunRequest,
  ports: ResolvedPort[],
  imageVolumes: string[] = [],
): Docker.ContainerCreateOptions {
  const exposedPorts: Record<string, {}> = {};
  const portBindings: Record<string, { HostIp: string; HostPort: string }[]> =
    {};
  for (const port of ports) {
    const key = `${port.containerPort}/${port.protocol}`;
    exposedPorts[key] = {};
    portBindings[key] = [
      {
        HostIp: LOOPBACK,
        // '' lets the engine choose; only used for engines on another machine.
        HostPort: port.hostPort === undefined ? '' : String(port.hostPort),
      },
    ];
  }

  const tmpfs: Record<string, string> = {};
  for (const path of imageVolumes) tmpfs[path] = VOLUME_TMPFS;
  if (req.readOnlyRootfs) tmpfs['/tmp'] = READ_ONLY_TMPFS;

  const securityOpt = [
    'no-new-privileges',
    ...req.securityOptions
      .map(o => o.trim())
      .filter(o => o && !/^no-new-privileges(:true|=true)?$/i.test(o)),
  ];

  return {
    name: req.name,
    Image: req.image,
    // Callers cannot drop or fake the ownership flag.
    Labels: { ...req.labels, [RUNNER_LABELS.managed]: 'true' },
    Env: Object.entries(req.env).map(([name, value]) => `${name}=${value}`),
    ExposedPorts: exposedPorts,
    // No TTY: logs stay multiplexed (stdout/stderr), and nothing is attached.
    Tty: false,
    OpenStdin: false,
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    HostConfig: {
      NetworkMode: 'bridge',
      PortBindings: portBindings,
      PublishAllPorts: false,
      Privileged: false,
      CapDrop: ['ALL'],
      CapAdd: [],
      SecurityOpt: securityOpt,
      ReadonlyRootfs: req.readOnlyRootfs,
      Tmpfs: tmpfs,
      // Memory == MemorySwap: no swap on top of the limit, so exceeding it is an OOM kill.
      Memory: req.limits.memoryBytes,
      MemorySwap: req.limits.memoryBytes,
      OomKillDisable: false,
      NanoCpus: req.limits.nanoCpus,
      PidsLimit: req.limits.pidsLimit,
      // Whatever the engine's default driver: output is rotated, so one chatty
      // container cannot fill the disk every other container lives on.
      LogConfig: {
        Type: req.logRotation.driver,
        Config: {
          'max-size': String(req.logRotation.maxSizeBytes),
          'max-file': String(req.logRotation.maxFiles),
        },
      },
      // An init as PID 1 reaps zombies and forwards signals, so stop is quick.
      Init: true,
      // The runner decides about restarts; the engine must not resurrect containers behind its back.
      RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
      AutoRemove: false,
      IpcMode: 'private',
      PidMode: '',
      UsernsMode: '',
      Binds: [],
      Mounts: [],
      Devices: [],
      VolumesFrom: [],
    },
  };
}
