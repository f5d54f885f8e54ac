export interface Config {
  /** Backstage Runner: builds and runs catalog components, manages Envoy Gateway resources. */
  runner?: {
    /**
     * The Docker engine, and the settings every component starts from
     * (overridable per component under `runner.components`).
     */
    docker?: {
      /**
       * Where the Docker engine listens: `unix:///path/to/docker.sock`,
       * `tcp://127.0.0.1:2375` or `npipe:////./pipe/docker_engine`.
       * Defaults to the `DOCKER_HOST` environment variable, else the platform's default socket.
       */
      host?: string;
      /**
       * How long to wait for the engine to answer, as a duration string (`5s`, `500ms`)
       * or milliseconds. Default `5s`.
       */
      connectionTimeout?: string | number;
    } & RunnerDockerSettings;
    /**
     * Per-component overrides, keyed by component name (`hello-http`, any namespace)
     * or full entity ref (`component:default/hello-http`). A ref entry wins over a
     * name entry, field by field; both win over the entity's annotations.
     */
    /**
     * Where components run: `docker` (the engine beside the backend) or `kubernetes`
     * (a cluster of `runner.kubernetes.clusters` with `namespaces` and a `registry`).
     * Default `docker`; overridable per component under `runner.components`.
     */
    runtime?: 'docker' | 'kubernetes';
    components?: {
      [nameOrRef: string]: {
        /** Overrides `runner.runtime` for this component. */
        runtime?: 'docker' | 'kubernetes';
        /** Kubernetes only: a `runner.kubernetes.clusters[].name`. Default `runner.kubernetes.defaultCluster`. */
        cluster?: string;
        /**
         * Kubernetes only: one of the cluster's `namespaces`. Overrides the
         * `runner.backstage.io/kubernetes-namespace` annotation; default the cluster's first namespace.
         */
        namespace?: string;
        /** Kubernetes only: pods of the Deployment, 1 to 50. Default 1. */
        replicas?: number;
        /** Same keys as `runner.docker`, except `host` (one engine for all components). */
        docker?: RunnerDockerSettings;
        build?: {
          /** Dockerfile path relative to the build context. Overrides `runner.backstage.io/dockerfile`. */
          dockerfile?: string;
          /** Build context relative to the source root. Overrides `runner.backstage.io/build-context`. */
          context?: string;
          /** Build arguments; merged over `runner.backstage.io/build-args`, name by name. */
          buildArgs?: { [name: string]: string | number | boolean };
          /** Multi-stage target. Overrides `runner.backstage.io/build-target`. */
          target?: string;
        };
        run?: {
          /**
           * Ports published on 127.0.0.1, as in `runner.backstage.io/ports`
           * (`8080`, `8080/udp`, `18080:8080` = host:container). Replaces the annotation's list.
           */
          ports?: Array<string | number> | string;
          /** HTTP path probed when the image has no HEALTHCHECK. Overrides `runner.backstage.io/health-path`. */
          healthPath?: string;
        };
      };
    };
    /** Gateway resources (docs/gateway.md). */
    gateway?: {
      /**
       * Directories searched recursively for CRD YAML (Gateway API, Envoy
       * Gateway, Envoy AI Gateway), used for schema and CEL validation when no
       * cluster is connected. Relative to the backend's working directory. Default none.
       */
      crdDirectories?: string[];
      /** Which Gateway API channel wins when both are present. Default `experimental` (what Envoy Gateway installs). */
      gatewayApiChannel?: 'standard' | 'experimental';
    };
    /** Metrics sampling, health probing and history retention (docs/monitoring.md). */
    monitoring?: {
      /** How often running instances are sampled. Default `10s`; at least `1s`. */
      sampleInterval?: string | number;
      /** Containers sampled at once. Default 32 (1-64): a round takes one engine stats tick (~1 s) while this is at least the number of running instances. */
      sampleConcurrency?: number;
      retention?: {
        /** Raw samples are kept this long. Default `24h`. */
        raw?: string | number;
        /** Downsampled (5-minute) samples are kept this long. Default `7d`. */
        downsampled?: string | number;
        /** Error history is kept this long. Default `30d`. */
        errors?: string | number;
      };
      health?: {
        /** HTTP health probe timeout. Default `2s`; at most `30s`. */
        timeout?: string | number;
        /** A new container is `starting`, not unhealthy, this long. Default `30s`. */
        startPeriod?: string | number;
        /** Health checks kept per instance. Default 20. */
        history?: number;
      };
    };
    /**
     * Alert rules (docs/alerts.md): defaults for every entity under `rules`,
     * per entity under `components.<name or entity ref>.rules`.
     */
    alerts?: {
      rules?: { [kind: string]: AlertRuleConfig };
      components?: {
        [nameOrRef: string]: { rules?: { [kind: string]: AlertRuleConfig } };
      };
    };
    sources?: {
      /**
       * Directories from which `dir:` sources (`backstage.io/source-location: dir:…`)
       * may be read; relative paths are resolved against the backend's working
       * directory. Default none: every `dir:` source is refused.
       */
      allowedLocalRoots?: string[];
    };
    kubernetes?: {
      /**
       * Clusters in which the runner manages gateway resources. Empty by default:
       * without a cluster, gateway resources can be built, validated and exported, not applied.
       */
      clusters?: Array<{
        /** Unique name; entities pick a cluster with `runner.backstage.io/kubernetes-cluster`. */
        name: string;
        /** API server URL, e.g. `https://10.0.0.1:6443`. Not needed with `auth.type: kubeconfig` or `inCluster`. */
        url?: string;
        auth?: {
          /** `serviceAccount` (token below), `kubeconfig` (file and context below) or `inCluster`. */
          type: 'serviceAccount' | 'kubeconfig' | 'inCluster';
          /**
           * Bearer token of a service account (`serviceAccount` only).
           * @visibility secret
           */
          token?: string;
          /** Path of a kubeconfig file (`kubeconfig` only); default the usual lookup (`KUBECONFIG`, `~/.kube/config`). */
          kubeconfigPath?: string;
          /** Context in the kubeconfig (`kubeconfig` only); default its current context. */
          context?: string;
        };
        /** PEM CA bundle of the API server (`serviceAccount` only). */
        caData?: string;
        /** Path of a PEM CA bundle of the API server (`serviceAccount` only). */
        caFile?: string;
        /** Disable TLS verification. Never in production; the backend logs a warning at start-up. */
        skipTLSVerify?: boolean;
        /** How long to wait for the API server, as a duration string or milliseconds. Default `5s`. */
        connectionTimeout?: string | number;
        /** Namespaces components may run in (lowercase DNS labels); the first is the default. Needed to run components here. */
        namespaces?: string[];
        /** Where component images are pushed and where the nodes pull them. Needed to run components here. */
        registry?: {
          /** `host[:port]` the backend pushes to, e.g. `127.0.0.1:5001`. */
          host: string;
          /** `host[:port]` the nodes pull from, when they see the registry under another name. Default `host`. */
          pullHost?: string;
          /** Repository prefix: an image is `<prefix>/<entity name>`. Default `backstage-runner`. */
          repositoryPrefix?: string;
          /** Plain HTTP. Default: true for loopback hosts only. */
          insecure?: boolean;
          credentials?: {
            username: string;
            /** @visibility secret */
            password: string;
          };
          /** A dockerconfigjson Secret in each namespace that the nodes pull with. */
          pullSecret?: string;
        };
      }>;
      /** Cluster used by entities that do not name one. Default: the first cluster. */
      defaultCluster?: string;
    };
  };
}

/** Docker settings shared by `runner.docker` and `runner.components.<key>.docker`. */
interface RunnerDockerSettings {
  /** Timeout for Docker API calls of this component (per component). Default: `runner.docker.connectionTimeout`, else `5s`. */
  connectionTimeout?: string | number;
  /** The image build is aborted after this long (`10m`, `PT10M`, milliseconds). Default `10m`. */
  buildTimeout?: string | number;
  /** The backend stops the container after this long; `none` for no limit. Default none. */
  runTimeout?: string | number;
  resourceLimits?: {
    /** Memory (and memory+swap) limit: bytes or `512m`, `1g` (binary units). Default `512m`; minimum `6m`. */
    memory?: string | number;
    /** CPUs, from 0.01 to 64: `0.5` or `"0.5"`. Default `1`. */
    cpus?: string | number;
    /** Maximum number of processes. Default `256`. */
    pids?: number;
  };
  /**
   * Extra `--security-opt` values (seccomp, apparmor, label, no-new-privileges).
   * Options that weaken isolation (`seccomp=unconfined`, `apparmor=unconfined`,
   * `label=disable`, `systempaths=unconfined`, `no-new-privileges=false`) are refused.
   */
  securityOptions?: string[];
  /** Mount the container's root filesystem read-only (with a tmpfs /tmp). Default false. */
  readOnlyRootfs?: boolean;
  /** When to remove a component's image on stop: `always`, `on-error` (default) or `never`. */
  imageCleanupPolicy?: 'always' | 'on-error' | 'never';
  /** Running instances allowed per entity. Default 1. */
  maxInstancesPerEntity?: number;
  /** Largest build context sent to Docker: bytes or `200m`. Default `200m`. */
  maxContextSize?: string | number;
  /**
   * Rotation of the container's logs by the engine's log driver: a container
   * never keeps more than `maxSize × maxFiles` of output on the engine's disk.
   */
  logRotation?: {
    /** `json-file` (default) or `local`: drivers `docker logs` reads, rotated by size. */
    driver?: 'json-file' | 'local';
    /** Size at which a log file is rotated: bytes or `10m`. Default `10m`; minimum `1m`. */
    maxSize?: string | number;
    /** Log files kept, the one being written included (1-100). Default 3. */
    maxFiles?: number;
  };
  /** Images kept per component; the rest are pruned on a schedule. */
  imageRetention?: {
    /** The component's newest images kept (1-1000), besides any an instance still uses. Default 3. */
    keep?: number;
    /** How often images and build cache are pruned. Only at `runner.docker`. Default `1h`; at least `1m`. */
    interval?: string | number;
    /** Also prune the engine's dangling build cache and the runner's dangling images. Only at `runner.docker`. Default true. */
    buildCache?: boolean;
  };
  /** Plain environment variables; shown as they are by the effective-config endpoint. */
  env?: { [name: string]: string | number | boolean };
  /** Secret environment variables; never shown, logged or returned ("set" only). */
  secretEnv?: {
    /** @visibility secret */
    [name: string]: string;
  };
}

/** One alert rule: cpu, memory, restarts, unhealthy, oom, build-failure or gateway-not-accepted. */
interface AlertRuleConfig {
  enabled?: boolean;
  severity?: 'critical' | 'high' | 'medium' | 'low';
  /** Ratio 0-1 (cpu, memory) or a count (restarts). */
  threshold?: number;
  /** How long the condition must hold before the alert opens. */
  duration?: string | number;
  /** How long the condition must be clear before the alert resolves. */
  clearDuration?: string | number;
  /** cpu and memory: the alert resolves below threshold × clearRatio. */
  clearRatio?: number;
  /** restarts: the window exits are counted in. */
  window?: string | number;
}
