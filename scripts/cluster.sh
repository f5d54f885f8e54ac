#!/usr/bin/env bash
# The tests' local Kubernetes (scripts/lib/kubernetes.sh).
#   scripts/cluster.sh start    build once, then start everything (fresh state, new keys)
#   scripts/cluster.sh stop     stop everything it started, pods included
#   scripts/cluster.sh env      print the exports the tests read (RUNNER_TEST_KUBECONFIG, …)
#   scripts/cluster.sh kubectl  kubectl as the cluster's admin
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "$REPO_ROOT/scripts/lib/crds.sh"
source "$REPO_ROOT/scripts/lib/kubernetes.sh"

case "${1:-}" in
  start)
    cluster_prerequisites
    find_crds
    export DOCKER_HOST="${DOCKER_HOST:-unix:///run/backstage-runner/docker.sock}"
    build_cluster
    start_cluster
    ;;
  stop) stop_cluster ;;
  env) cat "$RUNNER_CLUSTER_RUN/cluster.env" ;;
  kubectl) shift; kubectl_admin "$@" ;;
  *) sed -n '2,6p' "$0" >&2; exit 2 ;;
esac
