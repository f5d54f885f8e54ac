# shellcheck shell=bash
# Controllers of the test cluster that run as pods on its real node: Envoy
# Gateway (built from its Go module; it writes the real status of Gateway API
# and Envoy Gateway objects). Sourced by kubernetes.sh.
#
# Envoy Gateway asks for its xDS certificates at /certs and its config file in
# /config, as its Helm chart mounts them; a pod gives it both. The Envoy proxy
# Deployments it makes for each Gateway cannot start here (no Envoy image can
# be pulled; every pull resolves to the local registry), so a Gateway is never
# Programmed — but routes and policies are translated and get their real
# Accepted / ResolvedRefs conditions.

RUNNER_CLUSTER_EG_VERSION=v1.9.0
RUNNER_CLUSTER_EG_NAMESPACE=envoy-gateway-system

start_envoy_gateway() {
  local bin="$1" image tag
  tag="$(sha256sum "$bin/envoy-gateway" | cut -c1-12)"
  image="$RUNNER_CLUSTER_REGISTRY/backstage-runner/envoy-gateway:$RUNNER_CLUSTER_EG_VERSION-$tag"
  if ! curl -fsS -o /dev/null -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$RUNNER_CLUSTER_REGISTRY/v2/backstage-runner/envoy-gateway/manifests/$RUNNER_CLUSTER_EG_VERSION-$tag"; then
    local ctx
    ctx="$(mktemp -d)"
    cp "$bin/envoy-gateway" "$ctx/envoy-gateway"
    printf 'FROM scratch\nCOPY envoy-gateway /usr/local/bin/envoy-gateway\nUSER 65532:65532\nENTRYPOINT ["/usr/local/bin/envoy-gateway"]\n' >"$ctx/Dockerfile"
    docker build -q -t "$image" "$ctx" >/dev/null && docker push -q "$image" >/dev/null ||
      { rm -rf "$ctx"; kube_say "could not push the Envoy Gateway image"; return 1; }
    rm -rf "$ctx"
  fi
  printf 'apiVersion: v1\nkind: Namespace\nmetadata: { name: %s }\n' "$RUNNER_CLUSTER_EG_NAMESPACE" |
    kubectl_admin apply -f - >/dev/null
  # The control plane's certificates, as upstream's certgen Job makes them.
  ENVOY_GATEWAY_NAMESPACE="$RUNNER_CLUSTER_EG_NAMESPACE" KUBECONFIG="$RUNNER_CLUSTER_STATE/admin.kubeconfig" \
    "$bin/envoy-gateway" certgen --disable-topology-injector >>"$RUNNER_CLUSTER_LOGS/envoy-gateway-certgen.log" 2>&1 ||
    { kube_say "envoy-gateway certgen failed (log: $RUNNER_CLUSTER_LOGS/envoy-gateway-certgen.log)"; return 1; }
  kubectl_admin apply -f - >/dev/null <<EOT
apiVersion: v1
kind: ServiceAccount
metadata: { name: envoy-gateway, namespace: $RUNNER_CLUSTER_EG_NAMESPACE }
---
# A test cluster's controller: broad rights instead of a copy of upstream's
# chart RBAC. The runner's own identity never gets this (docs/kubernetes-rbac.md).
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: envoy-gateway-test-controller }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
subjects: [{ kind: ServiceAccount, name: envoy-gateway, namespace: $RUNNER_CLUSTER_EG_NAMESPACE }]
---
apiVersion: v1
kind: ConfigMap
metadata: { name: envoy-gateway-config, namespace: $RUNNER_CLUSTER_EG_NAMESPACE }
data:
  envoy-gateway.yaml: |
    apiVersion: gateway.envoyproxy.io/v1alpha1
    kind: EnvoyGateway
    gateway: { controllerName: gateway.envoyproxy.io/gatewayclass-controller }
    provider: { type: Kubernetes }
    logging: { level: { default: info } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: envoy-gateway, namespace: $RUNNER_CLUSTER_EG_NAMESPACE }
spec:
  replicas: 1
  selector: { matchLabels: { app: envoy-gateway } }
  template:
    metadata: { labels: { app: envoy-gateway } }
    spec:
      serviceAccountName: envoy-gateway
      securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: RuntimeDefault } }
      containers:
        - name: envoy-gateway
          image: $image
          args: [server, --config-path=/config/envoy-gateway.yaml]
          env:
            - { name: ENVOY_GATEWAY_NAMESPACE, valueFrom: { fieldRef: { fieldPath: metadata.namespace } } }
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL] }
          resources: { requests: { cpu: 50m, memory: 128Mi }, limits: { memory: 1Gi } }
          volumeMounts:
            - { name: certs, mountPath: /certs, readOnly: true }
            - { name: config, mountPath: /config, readOnly: true }
            - { name: tmp, mountPath: /tmp }
            # Its Wasm module cache.
            - { name: var-lib, mountPath: /var/lib }
      volumes:
        - { name: certs, secret: { secretName: envoy-gateway } }
        - { name: config, configMap: { name: envoy-gateway-config } }
        - { name: tmp, emptyDir: {} }
        - { name: var-lib, emptyDir: {} }
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: envoy-gateway }
spec: { controllerName: gateway.envoyproxy.io/gatewayclass-controller }
EOT
  kubectl_admin -n "$RUNNER_CLUSTER_EG_NAMESPACE" rollout status deploy/envoy-gateway --timeout=120s >/dev/null ||
    { kube_say "Envoy Gateway did not become ready (kubectl -n $RUNNER_CLUSTER_EG_NAMESPACE logs deploy/envoy-gateway)"; return 1; }
}
