import {
  isDockerOperation,
  patternRule,
  type Pattern,
  type Rule,
} from './ruleTypes';
import { buildStepFailure, containerExitFailure } from './failureStory';

/** A timeout as people configure it: `90 s`, `10 min`. */
function duration(ms: unknown): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return 'its limit';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms / 6000) / 10} min`;
}

/**
 * The runner's own errors (docker/types.ts: PortInUseError, RunnerTimeoutError;
 * instances/: EngineLostError, ContainerExitError, ContainerLostError) and OOM
 * kills. They say exactly what happened, so they go first.
 */
export const containerRules: Rule[] = [
  // Before the exit code: the engine's going away is why the process ended.
  f =>
    f.name === 'EngineLostError' ? { code: 'DOCKER_ENGINE_LOST' } : undefined,
  f => {
    if (f.name !== 'PortInUseError' && f.errno !== 'EADDRINUSE')
      return undefined;
    const port = String(
      f.fields.hostPort ??
        f.fields.port ??
        /:(\d+)\b/.exec(f.message)?.[1] ??
        '<port>',
    );
    return {
      code: 'PORT_IN_USE',
      port,
      say: `Host port 127.0.0.1:${port} is already taken.`,
    };
  },
  (f, op) => {
    if (f.name !== 'RunnerTimeoutError' && f.name !== 'TimeoutError')
      return undefined;
    const what = (f.fields.operation as string | undefined) ?? op;
    const limit = duration(f.fields.timeoutMs);
    if (what === 'build') {
      return {
        code: 'BUILD_TIMEOUT',
        say: `The image build exceeded its timeout of ${limit} and was stopped.`,
      };
    }
    if (what === 'run') {
      return {
        code: 'RUN_TIMEOUT',
        say: `The instance reached its run timeout of ${limit} and was stopped.`,
      };
    }
    return { code: 'OPERATION_TIMEOUT' };
  },
  f =>
    f.oomKilled ||
    f.event === 'oom' ||
    /\bOOMKilled\b|\boom[- ]kill/i.test(f.message)
      ? { code: 'OOM_KILLED' }
      : undefined,
  f =>
    f.name === 'ContainerLostError'
      ? { code: 'CONTAINER_NOT_FOUND' }
      : undefined,
];

/**
 * A container that exited. After the engine patterns: a state whose `Error`
 * says why the command could not start is CONTAINER_START_FAILED, not an exit.
 */
export const containerExitRule: Rule = f => {
  // Only a container's outcome: other errors carry `exitCode` too (a git
  // child process, for one) and belong to the pattern rules.
  const containerish = f.fromContainerState || f.name === 'ContainerExitError';
  const code = containerish
    ? f.exitCode
    : Number(/^container exited with code (\d+)/.exec(f.message)?.[1] ?? NaN);
  if (code === undefined || !Number.isFinite(code) || f.oomKilled)
    return undefined;
  // Even code 0 is a failure when handed over: a service must keep running.
  return {
    code: 'CONTAINER_EXITED',
    ...containerExitFailure(
      code,
      Array.isArray(f.fields.logTail) ? f.fields.logTail : [],
    ),
  };
};

const engineSaid = (m: RegExpExecArray) => ({
  more: `The engine said: ${m.input}`,
});

/** Messages of the Docker engine (classic builder and BuildKit) and of registries, as the engine relays them. */
export const dockerPatterns: readonly Pattern[] = [
  {
    code: 'PORT_IN_USE',
    re: /Bind for \S*?:(\d+) failed: port is already allocated|listen tcp[46]? \S*?:(\d+): bind: address already in use/,
    with: m => ({
      port: m[1] ?? m[2],
      say: `Host port 127.0.0.1:${m[1] ?? m[2]} is already taken.`,
    }),
  },
  // The engine asks a registry only for an image it does not have, so a
  // network failure on the registry's `/v2/` means: not here, not reachable there.
  {
    code: 'BASE_IMAGE_MISSING',
    re: /\bGet "?https?:\/\/([^/"\s]+)\/v2\/[^"\s]*"?: /,
    with: m => ({
      registry: m[1],
      say: `The image is not on the Docker engine, and its registry ${m[1]} cannot be reached.`,
    }),
  },
  {
    code: 'IMAGE_NOT_FOUND',
    re: /pull access denied for ([^\s,]+)/,
    with: m => ({
      image: m[1],
      say: `The registry has no repository ${m[1]}, or requires a login to see it.`,
    }),
  },
  {
    code: 'IMAGE_NOT_FOUND',
    re: /manifest for (\S+) not found|repository (\S+) not found: name unknown/,
    with: m => ({
      image: m[1] ?? m[2],
      say: `The registry has no image ${m[1] ?? m[2]}.`,
    }),
  },
  {
    code: 'IMAGE_NOT_FOUND',
    re: /No such image: (\S+)/,
    with: m => ({
      image: m[1],
      say: `The Docker engine has no image ${m[1]}.`,
    }),
  },
  { code: 'IMAGE_NOT_FOUND', re: /\bmanifest unknown\b/ },
  // The classic builder relays a registry's error code as bare words.
  {
    code: 'IMAGE_NOT_FOUND',
    re: /^\s*name unknown\s*$/,
    ops: ['build', 'pull'],
  },
  {
    code: 'REGISTRY_AUTH_FAILED',
    re: /^\s*(?:unauthorized|denied)(?::.*)?$/i,
    ops: ['build', 'pull'],
  },
  {
    code: 'REGISTRY_AUTH_FAILED',
    re: /no basic auth credentials|unauthorized: (?:authentication required|incorrect username or password)|denied: requested access to the resource is denied/i,
  },
  {
    code: 'BUILD_STEP_FAILED',
    re: /The command '([\s\S]+?)' returned a non-zero code: (\d+)|process "([\s\S]+?)" did not complete successfully: exit code: (\d+)/,
    with: (m, f) =>
      buildStepFailure(
        m[1] ?? m[3],
        m[2] ?? m[4],
        typeof f.fields.step === 'string' ? f.fields.step : undefined,
        Array.isArray(f.fields.logTail) ? f.fields.logTail : [],
      ),
  },
  {
    code: 'BUILD_CONTEXT_FILE_MISSING',
    re: /\b(?:COPY|ADD) failed: |file not found in build context|failed to compute cache key|failed to calculate checksum of ref/,
    with: engineSaid,
  },
  {
    code: 'DOCKERFILE_INVALID',
    re: /dockerfile parse error|unknown instruction: |Cannot locate specified Dockerfile|failed to reach build target|failed to read dockerfile/i,
    with: engineSaid,
  },
  {
    code: 'RESOURCE_LIMIT_UNSUPPORTED',
    re: /your kernel does not support|or the cgroup is not mounted/i,
    with: engineSaid,
  },
  {
    code: 'INVALID_RESOURCE_LIMIT',
    re: /Minimum (?:memory|memoryswap|kernel memory) limit|Range of CPUs is from|Conflicting options: Nano CPUs|memory limit should be smaller than|can not be less than memory reservation|invalid (?:memory|cpus?|pids)\b/i,
    with: engineSaid,
  },
  {
    code: 'CONTAINER_START_FAILED',
    re: /OCI runtime (?:create|exec) failed|starting container process caused|exec: "[^"]*": (?:executable file not found|stat )/,
    with: engineSaid,
  },
  { code: 'CONTAINER_NOT_FOUND', re: /No such container: \S+/ },
  {
    code: 'DOCKER_ACCESS_DENIED',
    re: /permission denied while trying to connect to the Docker daemon|authorization denied by plugin/i,
  },
  { code: 'DOCKER_UNREACHABLE', re: /Cannot connect to the Docker daemon/i },
];

/** dockerode errors no pattern knew: Docker's errdefs map each kind to an HTTP status. */
export const dockerStatusRule: Rule = (f, op) => {
  if (!f.status || !(f.fromDockerEngine || isDockerOperation(op)))
    return undefined;
  const said = `The Docker engine said: ${f.message}`;
  switch (f.status) {
    case 304: // "container already started" / "container already stopped"
    case 409: // errdefs.Conflict
      return { code: 'DOCKER_CONFLICT', more: said };
    case 400: // errdefs.InvalidParameter
      return { code: 'INVALID_INPUT', more: said };
    case 401: // errdefs.Unauthorized: a registry refused the engine
      return { code: 'REGISTRY_AUTH_FAILED' };
    case 403: // errdefs.Forbidden: an authorization plugin
      return { code: 'DOCKER_ACCESS_DENIED', more: said };
    case 404: // errdefs.NotFound
      return { code: 'NOT_FOUND', more: said };
    default: // 500 errdefs.System, 501 NotImplemented, 503 Unavailable
      return f.status >= 500 ? { code: 'DOCKER_ENGINE_ERROR' } : undefined;
  }
};

export const dockerPatternRule = patternRule(dockerPatterns);
