import type { ErrorCode, ErrorCodeInfo } from './types';

/**
 * Rows of the code table for everything around the engine: sources, config, Kubernetes, permissions, requests, unknown.
 * Keyed by code so that the compiler rejects a row for a code that does not exist.
 */
export const INTEGRATION_CODES = {
  SOURCE_NOT_FOUND: {
    category: 'source',
    severity: 'high',
    origin: 'user',
    recoverable: false,
    userMessage:
      "The component's source location does not exist, or is not visible with the configured credentials.",
    remediation:
      "Check the entity's `backstage.io/source-location` annotation (URL, branch and path). Hosts answer 'not found' for private repositories the token cannot see: check the token under `integrations` in app-config. A `dir:` location must exist under `runner.sources.allowedLocalRoots`.",
  },
  SOURCE_AUTH_FAILED: {
    category: 'source',
    severity: 'high',
    origin: 'user',
    recoverable: false,
    userMessage: 'The source host refused the credentials the backend used.',
    remediation:
      'Configure a token that can read the repository under `integrations` in app-config (e.g. `integrations.github[].token`, `integrations.gitlab[].token`), and check that it has not expired and has read access to the repository.',
  },
  SOURCE_NETWORK: {
    category: 'source',
    severity: 'medium',
    origin: 'platform',
    recoverable: true,
    userMessage:
      'The source host could not be reached (name resolution, connection, or rate limit).',
    remediation:
      'Retry. If it persists, check that the backend host resolves and reaches the host (`curl -I <url>`) and its proxy settings (`HTTPS_PROXY`); for rate limits, configure a token under `integrations` in app-config.',
  },
  SOURCE_NOT_ALLOWED: {
    category: 'source',
    severity: 'medium',
    origin: 'user',
    recoverable: false,
    userMessage:
      'The backend is not allowed to read from this source location.',
    remediation:
      'Add an integration for the host under `integrations`, or the host to `backend.reading.allow`, in app-config; for a local directory, add its root to `runner.sources.allowedLocalRoots`.',
  },
  CONFIG_INVALID: {
    category: 'config',
    severity: 'critical',
    origin: 'user',
    recoverable: false,
    userMessage: "The runner's app-config is invalid.",
    remediation:
      'Fix the key the detail names in `app-config.yaml` (schema: `plugins/runner-backend/config.d.ts`; reference: `docs/configuration.md`) and restart the backend.',
  },
  K8S_UNREACHABLE: {
    category: 'kubernetes',
    severity: 'high',
    origin: 'platform',
    recoverable: true,
    userMessage: 'The Kubernetes API server could not be reached.',
    remediation:
      'Check `runner.kubernetes.clusters[].url` of cluster `<cluster>`, that the backend host reaches it (`kubectl --server <url> version`), and its CA (`caData` or `caFile`). `GET /api/runner/health` shows each cluster.',
  },
  K8S_UNAUTHORIZED: {
    category: 'kubernetes',
    severity: 'high',
    origin: 'user',
    recoverable: false,
    userMessage:
      'The API server did not accept the cluster credentials (missing, expired or revoked token).',
    remediation:
      'Renew `runner.kubernetes.clusters[].auth.token` of cluster `<cluster>` (e.g. `kubectl create token <service-account> -n <namespace> --duration 8760h`) or fix the kubeconfig user, then restart the backend.',
  },
  K8S_FORBIDDEN: {
    category: 'kubernetes',
    severity: 'high',
    origin: 'user',
    recoverable: false,
    userMessage:
      "The cluster's RBAC does not allow the runner's identity to do this.",
    remediation:
      "Grant the runner's service account the verb and resource the detail names with a Role and RoleBinding in that namespace, and check with `kubectl auth can-i <verb> <resource> -n <namespace> --as system:serviceaccount:<namespace>:<service-account>`.",
  },
  K8S_NOT_FOUND: {
    category: 'kubernetes',
    severity: 'medium',
    origin: 'user',
    recoverable: false,
    userMessage:
      'The Kubernetes object, namespace or resource type does not exist.',
    remediation:
      "Check that the `runner.backstage.io/gateway-namespace` annotation names an existing namespace and that the CRDs are installed (`kubectl get crd httproutes.gateway.networking.k8s.io`); 'the server could not find the requested resource' means the API itself is missing.",
  },
  K8S_ALREADY_EXISTS: {
    category: 'kubernetes',
    severity: 'medium',
    origin: 'user',
    recoverable: false,
    userMessage: 'A Kubernetes object with this name already exists.',
    remediation:
      'Choose another name, or delete the existing object after checking who owns it (`kubectl get <kind> <name> -n <namespace> -o yaml`, see its labels and ownerReferences).',
  },
  K8S_CONFLICT: {
    category: 'kubernetes',
    severity: 'low',
    origin: 'platform',
    recoverable: true,
    userMessage:
      'The object changed on the server while the runner was updating it.',
    remediation:
      'Retry: the runner reads the object again and reapplies. If it keeps happening, another controller or person edits the same object.',
  },
  K8S_INVALID: {
    category: 'kubernetes',
    severity: 'medium',
    origin: 'user',
    recoverable: false,
    userMessage: 'The API server rejected the object as invalid.',
    remediation:
      'Fix the fields the detail lists (each with its path, such as `spec.rules[0].backendRefs[0].port`) in the Gateway form or the request, then apply again.',
  },
  K8S_GONE: {
    category: 'kubernetes',
    severity: 'low',
    origin: 'platform',
    recoverable: true,
    userMessage:
      'The watched resource version expired; the runner lists again.',
    remediation:
      "Nothing to do: the runner re-lists and resumes the watch. If it happens often, the watch falls behind; check the backend's load.",
  },
  K8S_SERVER_ERROR: {
    category: 'kubernetes',
    severity: 'high',
    origin: 'platform',
    recoverable: true,
    userMessage: 'The Kubernetes API server failed or is overloaded.',
    remediation:
      "Retry later. Check the API server's health (`kubectl get --raw '/readyz?verbose'`) and its admission webhooks, which often cause 500s.",
  },
  PERMISSION_DENIED: {
    category: 'permission',
    severity: 'medium',
    origin: 'user',
    recoverable: false,
    userMessage: 'You are not allowed to do this on this entity.',
    remediation:
      "Ask an owner of the entity or a Backstage admin for the permission the detail names (`runner.instance.*`, `runner.gateway.*` or `runner.alert.*`); the backend's permission policy grants it.",
  },
  NOT_AUTHENTICATED: {
    category: 'permission',
    severity: 'medium',
    origin: 'user',
    recoverable: false,
    userMessage: 'The request carried no valid Backstage credentials.',
    remediation:
      'Sign in again (the session may have expired). Service-to-service calls must send a Backstage token in the `Authorization` header, obtained with `auth.getPluginRequestToken()`.',
  },
  DOCKER_ACCESS_DENIED: {
    category: 'permission',
    severity: 'critical',
    origin: 'platform',
    recoverable: false,
    userMessage:
      'The backend may not use the Docker engine: the socket is not accessible to it, or an authorization plugin denied the call.',
    remediation:
      "Give the backend's user access to the socket (e.g. add it to the `docker` group, or point `runner.docker.host` at a socket it may use), or allow the call in the engine's authorization plugin.",
  },
  INVALID_INPUT: {
    category: 'validation',
    severity: 'low',
    origin: 'user',
    recoverable: false,
    userMessage:
      "The request or the component's settings contain an invalid value.",
    remediation:
      'Fix the value the detail names (a request parameter, or an annotation such as `runner.backstage.io/ports`) and try again.',
  },
  NOT_FOUND: {
    category: 'validation',
    severity: 'low',
    origin: 'user',
    recoverable: false,
    userMessage:
      'Something the request refers to does not exist (entity, instance, or engine object).',
    remediation:
      'Check the entity ref or instance id. Open the entity in the catalog (`/catalog/<namespace>/<kind>/<name>`): it may not be ingested yet (refresh its location), or the instance was deleted.',
  },
  REQUEST_CONFLICT: {
    category: 'validation',
    severity: 'low',
    origin: 'user',
    recoverable: false,
    userMessage:
      'The request conflicts with the current state, e.g. the maximum number of instances is already active.',
    remediation:
      'Stop or delete an instance of this component first, or raise `runner.components.<name>.docker.maxInstancesPerEntity`.',
  },
  UNKNOWN: {
    category: 'unknown',
    severity: 'high',
    origin: 'platform',
    recoverable: false,
    userMessage:
      'The runner did not recognize this failure; the detail holds the original error.',
    remediation:
      'Read the detail for the cause. If the runner should explain this failure, report it with the detail so that a rule can be added to the classifier (`plugins/runner-backend/src/errors/`).',
  },
} satisfies Partial<Record<ErrorCode, Omit<ErrorCodeInfo, 'code'>>>;
