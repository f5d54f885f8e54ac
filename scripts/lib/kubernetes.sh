# shellcheck shell=bash
# The tests' real Kubernetes: etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, a kubelet on containerd + runc + CNI bridge, kube-proxy in
# iptables mode, and a local image registry on 127.0.0.1 that the node pulls
# from. Binaries are built from Go modules (scripts/cluster/go.mod) into the
# tools cache once; keys, certificates and etcd's data are made anew at every
# start. Sourced; scripts/cluster.sh is the command line.
#
# Addresses: the API server, etcd and the registry listen on 127.0.0.1 only;
# pods live in network namespaces on the bridge runner-br0 (10.244.0.0/24)
# that these scripts create; the node's own address is the bridge's 10.244.0.1.
# Pods get a route to Services only (no default route, no masquerading):
# nothing in a pod can reach beyond this machine. kwok's simulated
# pods get addresses from 10.245.0.0/16 that nothing listens on or contacts.

# shellcheck source=kubernetes-pki.sh
source "$REPO_ROOT/scripts/lib/kubernetes-pki.sh"
# shellcheck source=kubernetes-controllers.sh
source "$REPO_ROOT/scripts/lib/kubernetes-controllers.sh"

RUNNER_CLUSTER_STATE="${RUNNER_CLUSTER_STATE:-/var/lib/backstage-runner/cluster}"
RUNNER_CLUSTER_RUN="${RUNNER_CLUSTER_RUN:-/run/backstage-runner/cluster}"
RUNNER_CLUSTER_LOGS="${RUNNER_CLUSTER_LOGS:-/var/log/backstage-runner/cluster}"
RUNNER_CLUSTER_API_PORT="${RUNNER_CLUSTER_API_PORT:-16443}"
RUNNER_CLUSTER_ETCD_PORT="${RUNNER_CLUSTER_ETCD_PORT:-23790}"
RUNNER_CLUSTER_REGISTRY="${RUNNER_CLUSTER_REGISTRY:-127.0.0.1:5001}"
RUNNER_CLUSTER_NODE_NAME=runner-node-1
RUNNER_CLUSTER_BRIDGE=runner-br0
RUNNER_CLUSTER_POD_CIDR=10.244.0.0/24
RUNNER_CLUSTER_NODE_IP=10.244.0.1
RUNNER_CLUSTER_SERVICE_CIDR=10.96.0.0/24
RUNNER_CLUSTER_SERVICE_IP=10.96.0.1
RUNNER_CLUSTER_SIMULATED_POD_CIDR=10.245.0.0/16 # kwok's pods: addresses nothing listens on
RUNNER_CLUSTER_PAUSE_IMAGE="$RUNNER_CLUSTER_REGISTRY/backstage-runner/pause:1"
RUNNER_CLUSTER_KWOK_VERSION=v0.7.0
RUNNER_CLUSTER_COMPONENTS=(etcd kube-apiserver apiserver-bridge kube-controller-manager kube-scheduler registry containerd kubelet kube-proxy kwok)

kube_say() { printf '[kubernetes] %s\n' "$*" >&2; }

# The binaries' folder, named by what they are built from: a change to the
# module, its sums, the pause program, the build recipe or Go rebuilds them.
cluster_bin_dir() {
  local key
  key="$(cat "$REPO_ROOT"/scripts/cluster/go.mod "$REPO_ROOT"/scripts/cluster/go.sum \
    "$REPO_ROOT"/scripts/cluster/pause/main.go <(go version; echo "$RUNNER_CLUSTER_KWOK_VERSION $RUNNER_CLUSTER_EG_VERSION"; declare -f build_cluster kube_version_ldflags) | sha256sum | cut -c1-12)"
  echo "$RUNNER_TOOLS_DIR/cluster-$key/bin"
}

cluster_prerequisites() {
  local missing=() cmd
  for cmd in go openssl iptables containerd containerd-shim-runc-v2 runc docker-registry conntrack socat; do
    command -v "$cmd" >/dev/null || missing+=("$cmd")
  done
  [ -x /usr/lib/cni/bridge ] || missing+=("/usr/lib/cni/bridge")
  if [ "${#missing[@]}" -gt 0 ]; then
    kube_say "missing: ${missing[*]} (on Debian: apt-get install golang openssl iptables containerd runc docker-registry conntrack socat containernetworking-plugins)"
    return 1
  fi
  local go_minor
  go_minor="$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')"
  [ "$go_minor" -ge 25 ] || { kube_say "Go 1.25 or newer is needed to build the cluster (found $(go env GOVERSION))"; return 1; }
  [ "$(id -u)" = 0 ] || { kube_say "the local cluster needs root (kubelet, containerd, iptables)"; return 1; }
}

# What `kubectl version` and the node report (a module build has no git tree).
kube_version_ldflags() { # vMAJOR.MINOR.PATCH
  local v="$1" major minor pkg
  major="$(echo "${v#v}" | cut -d. -f1)"
  minor="$(echo "${v#v}" | cut -d. -f2)"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    printf -- '-X %s.gitVersion=%s -X %s.gitMajor=%s -X %s.gitMinor=%s -X %s.gitTreeState=clean ' \
      "$pkg" "$v" "$pkg" "$major" "$pkg" "$minor" "$pkg"
  done
}

# build_cluster: go build of every binary, once per cluster_bin_dir.
build_cluster() {
  local bin
  bin="$(cluster_bin_dir)"
  [ -x "$bin/kube-apiserver" ] && [ -x "$bin/etcd" ] && [ -x "$bin/pause" ] && [ -x "$bin/kwok" ] &&
    [ -x "$bin/envoy-gateway" ] && return 0
  kube_say "building Kubernetes $(awk '$1 == "k8s.io/kubernetes" && $2 ~ /^v/ {print $2}' "$REPO_ROOT/scripts/cluster/go.mod"), etcd, kwok and Envoy Gateway from Go modules into $bin (once; several minutes on 2 cores)"
  local started=$SECONDS partial="$bin.partial"
  rm -rf "$partial"
  mkdir -p "$partial"
  (
    cd "$REPO_ROOT/scripts/cluster"
    local version
    version="$(awk '$1 == "k8s.io/kubernetes" && $2 ~ /^v/ {print $2}' go.mod)"
    go build -trimpath -o "$partial/" -ldflags="-s -w $(kube_version_ldflags "$version")" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubelet \
      k8s.io/kubernetes/cmd/kube-proxy k8s.io/kubernetes/cmd/kubectl
    go build -trimpath -ldflags='-s -w' -o "$partial/etcd" go.etcd.io/etcd/server/v3
    go build -trimpath -ldflags='-s -w' -o "$partial/pause" ./pause
    # Simulated nodes for scale tests, and Envoy Gateway (static: it runs in a
    # FROM-scratch pod); neither go.mod has replace directives.
    GOBIN="$partial" go install -trimpath -ldflags='-s -w' "sigs.k8s.io/kwok/cmd/kwok@$RUNNER_CLUSTER_KWOK_VERSION"
    CGO_ENABLED=0 GOBIN="$partial" go install -trimpath -ldflags='-s -w' \
      "github.com/envoyproxy/gateway/cmd/envoy-gateway@$RUNNER_CLUSTER_EG_VERSION"
  ) >"$RUNNER_TOOLS_DIR/cluster-build.log" 2>&1 || {
    tail -n 30 "$RUNNER_TOOLS_DIR/cluster-build.log" >&2
    kube_say "build failed (log: $RUNNER_TOOLS_DIR/cluster-build.log)"
    return 1
  }
  rm -rf "$bin"
  mv "$partial" "$bin"
  kube_say "built in $((SECONDS - started)) s"
}

# --- processes ----------------------------------------------------------------
cluster_spawn() { # NAME COMMAND...: the pid file holds the pid and the program's name
  local name="$1"
  shift
  setsid "$@" >>"$RUNNER_CLUSTER_LOGS/$name.log" 2>&1 </dev/null &
  echo "$! $(basename "$1" | cut -c1-15)" >"$RUNNER_CLUSTER_RUN/$name.pid"
}

cluster_wait() { # WHAT SECONDS COMMAND...
  local what="$1" limit="$2" i
  shift 2
  for i in $(seq 1 $((limit * 4))); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.25
  done
  kube_say "$what did not come up within $limit s (logs: $RUNNER_CLUSTER_LOGS)"
  return 1
}

cluster_kill() { # NAME: TERM, then KILL after 10 s; only a process that is still ours
  local pidfile="$RUNNER_CLUSTER_RUN/$1.pid" pid comm i
  [ -f "$pidfile" ] || return 0
  read -r pid comm <"$pidfile" || return 0
  rm -f "$pidfile"
  # After a reboot or a killed session the pid may be another program's.
  if [ -n "$comm" ]; then
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$comm" ] || return 0
  else # a pid file of an older version of this script
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$1" || return 0
  fi
  if kill -TERM "$pid" 2>/dev/null; then
    for i in $(seq 1 40); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
}

kubectl_admin() { "$(cluster_bin_dir)/kubectl" --kubeconfig "$RUNNER_CLUSTER_STATE/admin.kubeconfig" "$@"; }

# --- start / stop -------------------------------------------------------------
stop_cluster() {
  local i
  for ((i = ${#RUNNER_CLUSTER_COMPONENTS[@]} - 1; i >= 0; i--)); do
    cluster_kill "${RUNNER_CLUSTER_COMPONENTS[$i]}"
  done
  # Pods outlive the kubelet and containerd: end every process in the pods'
  # cgroups, then their shims, their network namespaces and their mounts.
  local procs
  procs="$(find /sys/fs/cgroup/*/kubepods -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u || true)"
  [ -z "$procs" ] || kill -KILL $procs 2>/dev/null || true
  pkill -KILL -f "containerd-shim-runc-v2 -namespace k8s.io -address $RUNNER_CLUSTER_RUN/containerd.sock" 2>/dev/null || true
  find /sys/fs/cgroup/*/kubepods -depth -type d -exec rmdir {} + 2>/dev/null || true
  local netns
  for netns in /run/netns/cni-*; do
    [ -e "$netns" ] || continue
    umount "$netns" 2>/dev/null || true
    rm -f "$netns"
  done
  findmnt -rn -o TARGET 2>/dev/null | grep -E "^($RUNNER_CLUSTER_STATE|$RUNNER_CLUSTER_RUN)/" | sort -r |
    xargs -r -n1 umount -l 2>/dev/null || true
}

start_cluster() {
  local bin
  bin="$(cluster_bin_dir)"
  stop_cluster
  rm -rf "$RUNNER_CLUSTER_STATE/etcd" "$RUNNER_CLUSTER_STATE/kubelet" "$RUNNER_CLUSTER_STATE/pki" "$RUNNER_CLUSTER_RUN"
  mkdir -p "$RUNNER_CLUSTER_STATE" "$RUNNER_CLUSTER_RUN" "$RUNNER_CLUSTER_LOGS"
  : >"$RUNNER_CLUSTER_LOGS/start.log"
  local started=$SECONDS pki="$RUNNER_CLUSTER_STATE/pki"
  cluster_pki "$pki"
  local client
  for client in admin controller-manager scheduler kubelet kube-proxy; do
    cluster_kubeconfig "$pki" "$client" "$RUNNER_CLUSTER_STATE/$client.kubeconfig"
  done
  cluster_network

  cluster_spawn etcd "$bin/etcd" --name runner --data-dir "$RUNNER_CLUSTER_STATE/etcd" \
    --listen-client-urls "http://127.0.0.1:$RUNNER_CLUSTER_ETCD_PORT" \
    --advertise-client-urls "http://127.0.0.1:$RUNNER_CLUSTER_ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$((RUNNER_CLUSTER_ETCD_PORT + 10))" \
    --initial-advertise-peer-urls "http://127.0.0.1:$((RUNNER_CLUSTER_ETCD_PORT + 10))" \
    --initial-cluster "runner=http://127.0.0.1:$((RUNNER_CLUSTER_ETCD_PORT + 10))" \
    --unsafe-no-fsync --quota-backend-bytes 2147483648
  cluster_wait etcd 30 curl -fsS "http://127.0.0.1:$RUNNER_CLUSTER_ETCD_PORT/health" || return 1

  cluster_spawn kube-apiserver "$bin/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$RUNNER_CLUSTER_ETCD_PORT" \
    --bind-address 127.0.0.1 --secure-port "$RUNNER_CLUSTER_API_PORT" \
    --advertise-address "$RUNNER_CLUSTER_NODE_IP" \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --client-ca-file "$pki/ca.crt" \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --service-account-issuer https://kubernetes.default.svc \
    --service-cluster-ip-range "$RUNNER_CLUSTER_SERVICE_CIDR" \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction,ResourceQuota,LimitRanger \
    --kubelet-client-certificate "$pki/apiserver-kubelet-client.crt" \
    --kubelet-client-key "$pki/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types InternalIP \
    --allow-privileged=false --profiling=false
  cluster_wait kube-apiserver 90 kubectl_admin get --raw /readyz || return 1
  # Pods reach the API server (Service kubernetes → the node's address) on
  # the bridge only; the API server itself listens on 127.0.0.1.
  cluster_spawn apiserver-bridge socat \
    "TCP-LISTEN:$RUNNER_CLUSTER_API_PORT,bind=$RUNNER_CLUSTER_NODE_IP,reuseaddr,fork" \
    "TCP:127.0.0.1:$RUNNER_CLUSTER_API_PORT"

  cluster_spawn kube-controller-manager "$bin/kube-controller-manager" \
    --kubeconfig "$RUNNER_CLUSTER_STATE/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$RUNNER_CLUSTER_STATE/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$RUNNER_CLUSTER_STATE/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port 0 --leader-elect=false \
    --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
    --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" \
    --use-service-account-credentials --allocate-node-cidrs=false \
    --service-cluster-ip-range "$RUNNER_CLUSTER_SERVICE_CIDR" \
    --concurrent-deployment-syncs 10 --concurrent-replicaset-syncs 10
  cluster_spawn kube-scheduler "$bin/kube-scheduler" \
    --kubeconfig "$RUNNER_CLUSTER_STATE/scheduler.kubeconfig" \
    --authentication-kubeconfig "$RUNNER_CLUSTER_STATE/scheduler.kubeconfig" \
    --authorization-kubeconfig "$RUNNER_CLUSTER_STATE/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port 0 --leader-elect=false

  start_registry || return 1
  start_node "$bin" || return 1
  cluster_wait "node $RUNNER_CLUSTER_NODE_NAME Ready" 120 \
    kubectl_admin wait --for=condition=Ready "node/$RUNNER_CLUSTER_NODE_NAME" --timeout=2s || return 1
  # Simulated nodes for scale tests: kwok plays the kubelet of every node
  # annotated kwok.x-k8s.io/node=fake (tests create them; none exist at start).
  cluster_spawn kwok "$bin/kwok" --kubeconfig "$RUNNER_CLUSTER_STATE/admin.kubeconfig" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
    --cidr "$RUNNER_CLUSTER_SIMULATED_POD_CIDR" --node-ip 10.245.255.254
  cluster_crds || return 1
  start_envoy_gateway "$bin" || return 1
  cluster_env >"$RUNNER_CLUSTER_RUN/cluster.env"
  kube_say "ready in $((SECONDS - started)) s: kubeconfig $RUNNER_CLUSTER_STATE/admin.kubeconfig"
}

# The bridge exists before the kubelet starts, so the node's address does too.
cluster_network() {
  if ! ip link show "$RUNNER_CLUSTER_BRIDGE" >/dev/null 2>&1; then
    ip link add "$RUNNER_CLUSTER_BRIDGE" type bridge
  fi
  ip addr replace "$RUNNER_CLUSTER_NODE_IP/24" dev "$RUNNER_CLUSTER_BRIDGE"
  ip link set "$RUNNER_CLUSTER_BRIDGE" up
  # Service traffic between pods on one bridge passes iptables (kube-proxy).
  sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || true
  service_cidr_fence || return 1
  mkdir -p "$RUNNER_CLUSTER_STATE/cni"
  cat >"$RUNNER_CLUSTER_STATE/cni/10-runner.conflist" <<EOT
{
  "cniVersion": "0.4.0",
  "name": "runner",
  "plugins": [
    {
      "type": "bridge", "bridge": "$RUNNER_CLUSTER_BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
      "ipam": { "type": "host-local", "dataDir": "$RUNNER_CLUSTER_RUN/ipam",
                "ranges": [[{ "subnet": "$RUNNER_CLUSTER_POD_CIDR", "gateway": "$RUNNER_CLUSTER_NODE_IP" }]],
                "routes": [{ "dst": "$RUNNER_CLUSTER_SERVICE_CIDR" }] }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
EOT
}

# A packet for the service range that kube-proxy did not rewrite to a pod (its
# Service is new and not yet programmed, or gone), or for a simulated pod, is
# refused here. Without the fence it follows the default route off the
# machine, where something else may answer: a test then reads that stranger's
# HTTP 404 as the component's reply (seen in CI). The filter table sees
# packets after kube-proxy's DNAT, so a programmed Service's traffic (now
# addressed to a pod) never matches.
service_cidr_fence() {
  local chain=RUNNER-SERVICE-FENCE hook cidr
  iptables -w -N "$chain" 2>/dev/null || iptables -w -F "$chain" || return 1
  for cidr in "$RUNNER_CLUSTER_SERVICE_CIDR" "$RUNNER_CLUSTER_SIMULATED_POD_CIDR"; do
    iptables -w -A "$chain" -d "$cidr" -p tcp -j REJECT --reject-with tcp-reset &&
      iptables -w -A "$chain" -d "$cidr" -j REJECT || return 1
  done
  for hook in OUTPUT FORWARD; do
    iptables -w -C "$hook" -j "$chain" 2>/dev/null || iptables -w -A "$hook" -j "$chain" || return 1
  done
}

# docker-registry on 127.0.0.1, data kept across starts; the pause image in it.
start_registry() {
  local data="$RUNNER_CLUSTER_STATE/registry"
  mkdir -p "$data"
  cat >"$RUNNER_CLUSTER_STATE/registry.yml" <<EOT
version: 0.1
log: { level: warn }
storage: { filesystem: { rootdirectory: $data }, delete: { enabled: true } }
http: { addr: $RUNNER_CLUSTER_REGISTRY }
EOT
  cluster_spawn registry docker-registry serve "$RUNNER_CLUSTER_STATE/registry.yml"
  cluster_wait registry 20 curl -fsS "http://$RUNNER_CLUSTER_REGISTRY/v2/" || return 1
  curl -fsS "http://$RUNNER_CLUSTER_REGISTRY/v2/backstage-runner/pause/manifests/1" \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' >/dev/null 2>&1 && return 0
  local ctx
  ctx="$(mktemp -d)"
  cp "$(cluster_bin_dir)/pause" "$ctx/pause"
  printf 'FROM scratch\nCOPY pause /pause\nUSER 65535:65535\nENTRYPOINT ["/pause"]\n' >"$ctx/Dockerfile"
  docker build -q -t "$RUNNER_CLUSTER_PAUSE_IMAGE" "$ctx" >/dev/null &&
    docker push -q "$RUNNER_CLUSTER_PAUSE_IMAGE" >/dev/null || { rm -rf "$ctx"; kube_say "could not push the pause image"; return 1; }
  rm -rf "$ctx"
}

# containerd (its own root, state and socket, not Docker's), kubelet, kube-proxy.
start_node() {
  local bin="$1" host
  # Every pull goes to the local registry, whatever registry an image names:
  # an image reference such as docker.io/library/x never leaves this machine,
  # it is simply not found.
  for host in "$RUNNER_CLUSTER_REGISTRY" _default docker.io registry-1.docker.io registry.k8s.io k8s.gcr.io gcr.io \
    ghcr.io quay.io mcr.microsoft.com public.ecr.aws; do
    mkdir -p "$RUNNER_CLUSTER_STATE/certs.d/$host"
    printf 'server = "http://%s"\n[host."http://%s"]\n  capabilities = ["pull", "resolve"]\n' \
      "$RUNNER_CLUSTER_REGISTRY" "$RUNNER_CLUSTER_REGISTRY" >"$RUNNER_CLUSTER_STATE/certs.d/$host/hosts.toml"
  done
  cat >"$RUNNER_CLUSTER_STATE/containerd.toml" <<EOT
version = 2
root = "$RUNNER_CLUSTER_STATE/containerd"
state = "$RUNNER_CLUSTER_RUN/containerd"
[grpc]
  address = "$RUNNER_CLUSTER_RUN/containerd.sock"
[ttrpc]
  address = "$RUNNER_CLUSTER_RUN/containerd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$RUNNER_CLUSTER_STATE/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$RUNNER_CLUSTER_PAUSE_IMAGE"
  # Without CAP_SYS_RESOURCE (as in a container) no process may lower its OOM
  # score: keep each pod's at least the node's instead of failing the sandbox.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$RUNNER_CLUSTER_STATE/cni"
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$RUNNER_CLUSTER_STATE/certs.d"
EOT
  cluster_spawn containerd containerd --config "$RUNNER_CLUSTER_STATE/containerd.toml"
  cluster_wait containerd 30 test -S "$RUNNER_CLUSTER_RUN/containerd.sock" || return 1

  cat >"$RUNNER_CLUSTER_STATE/kubelet.yaml" <<EOT
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# This machine's kernel has cgroup v1 only; kubelet 1.35 refuses it unless told.
failCgroupV1: false
cgroupDriver: cgroupfs
containerRuntimeEndpoint: unix://$RUNNER_CLUSTER_RUN/containerd.sock
address: $RUNNER_CLUSTER_NODE_IP
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10348
authentication:
  anonymous: { enabled: false }
  webhook: { enabled: true }
  x509: { clientCAFile: $RUNNER_CLUSTER_STATE/pki/ca.crt }
authorization: { mode: Webhook }
failSwapOn: false
serializeImagePulls: false
resolvConf: /etc/resolv.conf
# A busy CI disk must not evict the tests' pods.
evictionHard: { memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1% }
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
maxPods: 250
EOT
  cluster_spawn kubelet "$bin/kubelet" --config "$RUNNER_CLUSTER_STATE/kubelet.yaml" \
    --kubeconfig "$RUNNER_CLUSTER_STATE/kubelet.kubeconfig" \
    --root-dir "$RUNNER_CLUSTER_STATE/kubelet" \
    --hostname-override "$RUNNER_CLUSTER_NODE_NAME" --node-ip "$RUNNER_CLUSTER_NODE_IP"

  cat >"$RUNNER_CLUSTER_STATE/kube-proxy.yaml" <<EOT
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: { kubeconfig: $RUNNER_CLUSTER_STATE/kube-proxy.kubeconfig }
hostnameOverride: $RUNNER_CLUSTER_NODE_NAME
clusterCIDR: $RUNNER_CLUSTER_POD_CIDR
bindAddress: 127.0.0.1
healthzBindAddress: 127.0.0.1:10356
metricsBindAddress: 127.0.0.1:10349
nodePortAddresses: [$RUNNER_CLUSTER_NODE_IP/32]
# Leave the machine's conntrack table size alone.
conntrack: { maxPerCore: 0 }
EOT
  cluster_spawn kube-proxy "$bin/kube-proxy" --config "$RUNNER_CLUSTER_STATE/kube-proxy.yaml"
}

# The upstream CRDs from the lookup (crds.sh): one Gateway API channel, the
# experimental one, as Envoy Gateway bundles it.
cluster_crds() {
  local dir
  for dir in gateway-api/experimental envoy-gateway ai-gateway; do
    kubectl_admin apply --server-side --force-conflicts -f "$RUNNER_CRDS_DIR/$dir" >/dev/null || {
      kube_say "could not apply the CRDs of $RUNNER_CRDS_DIR/$dir"
      return 1
    }
  done
  kubectl_admin wait --for condition=Established crd --all --timeout=60s >/dev/null
}

# What the tests read (scripts/test.sh sources it).
cluster_env() {
  cat <<EOT
export RUNNER_TEST_KUBECONFIG=$RUNNER_CLUSTER_STATE/admin.kubeconfig
export RUNNER_TEST_ETCD_URL=http://127.0.0.1:$RUNNER_CLUSTER_ETCD_PORT
export RUNNER_TEST_REGISTRY=$RUNNER_CLUSTER_REGISTRY
export RUNNER_TEST_KUBECTL=$(cluster_bin_dir)/kubectl
export RUNNER_TEST_CLUSTER_PIDS=$RUNNER_CLUSTER_RUN
export RUNNER_TEST_KWOK_ANNOTATION=kwok.x-k8s.io/node=fake
EOT
}
