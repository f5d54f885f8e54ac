export interface Config {
  /** Backstage Runner: builds and runs catalog components, manages Envoy Gateway resources. */
  runner?: {
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
      }>;
      /** Cluster used by entities that do not name one. Default: the first cluster. */
      defaultCluster?: string;
    };
  };
}
