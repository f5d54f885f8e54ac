import type { ErrorCode, ErrorCodeInfo } from './types';

/**
 * Rows of the code table for the Docker side: engine, build, image, port, limits, OOM, container, timeouts.
 * Keyed by code so that the compiler rejects a row for a code that does not exist.
 */
export const ENGINE_CODES = {
  DOCKER_UNREACHABLE: {
    category: 'docker-unavailable',
    severity: 'critical',
    origin: 'platform',
    recoverable: true,
    userMessage: 'The runner cannot reach the Docker engine.',
    remediation:
      'Start the Docker engine (`sudo systemctl start docker`, or `scripts/bootstrap.sh` in this repository) and check that `docker version` answers. If it listens elsewhere, set `runner.docker.host` (or `DOCKER_HOST`) to its endpoint, e.g. `unix:///var/run/docker.sock`. `GET /api/runner/health` shows what the backend sees.',
  },
  DOCKER_CONNECTION_RESET: {
    category: 'docker-unavailable',
    severity: 'high',
    origin: 'platform',
    recoverable: true,
    userMessage:
      'The Docker engine closed the connection before answering (the engine restarted, or the request stayed silent too long).',
    remediation:
      'Retry. The backend abandons an engine request that stays silent longer than `runner.docker.connectionTimeout` (default `5s`); raise it if slow engine calls hit it. If the engine restarted, read its log (`journalctl -u docker`).',
  },
  DOCKER_ENGINE_ERROR: {
    category: 'docker-unavailable',
    severity: 'high',
    origin: 'platform',
    recoverable: true,
    userMessage: 'The Docker engine failed while handling the request.',
    remediation:
      "Retry. If it persists, read the detail and the engine's log (`journalctl -u docker`), and check its disk space with `docker system df`.",
  },
  DOCKER_ENGINE_LOST: {
    category: 'docker-unavailable',
    severity: 'high',
    origin: 'platform',
    recoverable: true,
    userMessage:
      'The Docker engine stopped or restarted while the instance ran, and its container stopped with it. Nobody stopped the instance.',
    remediation:
      'Start the instance again once the engine answers (`docker version`; `GET /api/runner/health` shows what the backend sees). The engine\'s log (`journalctl -u docker`) says why it stopped. To keep containers running while the engine restarts, set `"live-restore": true` in the engine\'s `/etc/docker/daemon.json`.',
  },
  BUILD_STEP_FAILED: {
    category: 'build',
    severity: 'high',
    origin: 'user',
    recoverable: false,
    userMessage: 'A step of the Dockerfile failed.',
    remediation:
      'Read the build log on the Runner tab: the lines before the failure say why the command failed. Fix the command in the Dockerfile (path from the `runner.backstage.io/dockerfile` annotation), reproduce with `docker build .` in the source directory, commit, and start again.',
  },
  BUILD_CONTEXT_FILE_MISSING: {
    category: 'build',
    severity: 'high',
    origin: 'user',
    recoverable: false,
    userMessage:
      'The Dockerfile copies a file that is not in the build context.',
    remediation:
      'Fix the path in the COPY/ADD instruction: it is relative to the build context (`runner.backstage.io/build-context`, default the source root), and `.dockerignore` may exclude it. Commit the file or correct the path.',
  },
  DOCKERFILE_INVALID: {
    category: 'build',
    severity: 'high',
    origin: 'user',
    recoverable: false,
    userMessage:
      'The Dockerfile cannot be used: it is missing, does not parse, or lacks the requested build target.',
    remediation:
      'Check the `runner.backstage.io/dockerfile` annotation (path relative to the build context, default `Dockerfile`) and `runner.backstage.io/build-target` (must name a `FROM … AS <target>` stage); fix the line the detail names; `docker build .` reproduces it.',
  },
  BASE_IMAGE_MISSING: {
    category: 'image',
    severity: 'high',
    origin: 'user',
    recoverable: false,
    userMessage:
      'The base image is not on the Docker engine, and the registry it would come from cannot be reached.',
    remediation:
      "Put the image on the engine (`docker load -i image.tar`, or build it locally: `scripts/bootstrap.sh` builds the examples' base images), or change `FROM` in the Dockerfile to an image that `docker image ls` lists.",
  },
  IMAGE_NOT_FOUND: {
    category: 'image',
    severity: 'high',
    origin: 'user',
    recoverable: false,
    userMessage:
      'The image does not exist: the registry has no such repository or tag (or hides a private one), or the engine has no such local image.',
    remediation:
      'Check the image name and tag of `<image>` in `FROM` for typos, and list local images with `docker image ls`. For a private repository, log the engine in with `docker login <registry>`.',
  },
  REGISTRY_AUTH_FAILED: {
    category: 'image',
    severity: 'high',
    origin: 'user',
    recoverable: false,
    userMessage: "The registry refused the Docker engine's credentials.",
    remediation:
      "On the Docker engine's host, run `docker login <registry>` with an account that may pull `<image>`, or use a public image.",
  },
  PORT_IN_USE: {
    category: 'port',
    severity: 'medium',
    origin: 'platform',
    recoverable: true,
    userMessage:
      'A host port the container should publish on 127.0.0.1 is already taken.',
    remediation:
      "Find what holds 127.0.0.1:<port> (`docker ps --filter publish=<port>` for a container, `ss -ltnp 'sport = :<port>'` for any process), stop it, and start again. If the component pins this host port, choose another one where it is set (the `runner.backstage.io/ports` annotation or app-config).",
  },
  INVALID_RESOURCE_LIMIT: {
    category: 'resource-limit',
    severity: 'medium',
    origin: 'user',
    recoverable: false,
    userMessage: "The Docker engine rejected the container's resource limits.",
    remediation:
      "Fix `runner.components.<name>.docker.resourceLimits` (or the defaults in `runner.docker.resourceLimits`): memory at least `6m` (e.g. `512m`, `1g`), cpus between `0.01` and the engine's CPU count (`docker info --format '{{.NCPU}}'`), pids a positive number.",
  },
  RESOURCE_LIMIT_UNSUPPORTED: {
    category: 'resource-limit',
    severity: 'high',
    origin: 'platform',
    recoverable: false,
    userMessage:
      'The Docker host cannot enforce a requested limit: its kernel or cgroup setup lacks the controller.',
    remediation:
      'Run the engine on a host with cgroup v2 (or the cgroup v1 memory, cpu and pids controllers mounted); `docker info` prints a warning for each missing one. Otherwise remove that limit from `runner.docker.resourceLimits`.',
  },
  OOM_KILLED: {
    category: 'oom',
    severity: 'high',
    origin: 'user',
    recoverable: false,
    userMessage:
      'The container was killed because it used more memory than its limit.',
    remediation:
      "Raise `runner.components.<name>.docker.resourceLimits.memory` (e.g. from `512m` to `1g`), or lower the application's memory use (heap flags such as `NODE_OPTIONS=--max-old-space-size=…` or `-Xmx`). The instance's metrics show the memory before the kill.",
  },
  CONTAINER_START_FAILED: {
    category: 'container',
    severity: 'high',
    origin: 'user',
    recoverable: false,
    userMessage:
      'The container was created but its command could not be started.',
    remediation:
      'Check ENTRYPOINT/CMD in the Dockerfile: the executable must exist in the image and be executable. `docker run --rm --entrypoint ls <image> -l <path>` shows what the image holds.',
  },
  CONTAINER_EXITED: {
    category: 'container',
    severity: 'high',
    origin: 'user',
    recoverable: false,
    userMessage: "The container's process exited with an error.",
    remediation:
      "Read the run log on the Runner tab for the application's own error, and reproduce with `docker run --rm <image>`.",
  },
  CONTAINER_NOT_FOUND: {
    category: 'container',
    severity: 'medium',
    origin: 'platform',
    recoverable: true,
    userMessage:
      'The container no longer exists: it was removed outside the runner, or the engine lost it.',
    remediation:
      'Start the instance again. Do not `docker rm` or `docker container prune` containers labelled `runner.backstage.io/managed=true`; stop them from the Runner tab.',
  },
  DOCKER_CONFLICT: {
    category: 'container',
    severity: 'low',
    origin: 'platform',
    recoverable: true,
    userMessage:
      'The Docker engine refused the change because the object is in another state (already started or stopped, being removed, or its name is taken).',
    remediation:
      'Retry in a moment; the reconciler brings the instance in line with the engine. If a leftover container holds the name, check its `runner.backstage.io/instance-id` label and remove it with `docker rm -f <container>`.',
  },
  BUILD_TIMEOUT: {
    category: 'timeout',
    severity: 'medium',
    origin: 'user',
    recoverable: false,
    userMessage:
      'The image build took longer than its build timeout and was stopped.',
    remediation:
      'Raise `runner.components.<name>.docker.buildTimeout` (default `runner.docker.buildTimeout`), e.g. `15m`, or make the build faster: order the Dockerfile so dependency layers stay cached, and shrink the context with `.dockerignore`.',
  },
  RUN_TIMEOUT: {
    category: 'timeout',
    severity: 'medium',
    origin: 'user',
    recoverable: false,
    userMessage:
      'The instance ran longer than its run timeout and was stopped.',
    remediation:
      'This is the configured limit at work. Raise or remove `runner.components.<name>.docker.runTimeout` (default `runner.docker.runTimeout`) if the component should run longer.',
  },
  OPERATION_TIMEOUT: {
    category: 'timeout',
    severity: 'medium',
    origin: 'platform',
    recoverable: true,
    userMessage:
      'A call to the Docker engine or another dependency did not answer in time.',
    remediation:
      "Retry. If it keeps happening, check the dependency's load, or raise `runner.docker.connectionTimeout` (Docker) or `runner.kubernetes.clusters[].connectionTimeout` (Kubernetes).",
  },
} satisfies Partial<Record<ErrorCode, Omit<ErrorCodeInfo, 'code'>>>;
