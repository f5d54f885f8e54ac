#!/usr/bin/env bash
# Installs what is missing, then runs every test: type-check, lint, unit and
# integration tests (real dockerd, SQLite and PostgreSQL, a real Kubernetes)
# and the end-to-end tests in a real Chromium. Screenshots and reports go to
# artifacts/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# The upstream CRDs first: without them most gateway tests cannot run, so stop
# before installing or starting anything heavy.
source scripts/lib/env.sh
source scripts/lib/crds.sh
find_crds || { echo "[test] stopped before installing or running anything: no upstream CRDs" >&2; exit 1; }
export APP_CONFIG_runner_gateway_crdDirectories="[\"$RUNNER_CRDS_DIR\"]"

source scripts/bootstrap.sh test
cd "$REPO_ROOT"
mkdir -p artifacts

step() { printf '\n=== %s ===\n' "$*"; }

# A real Kubernetes (scripts/lib/kubernetes.sh), unless RUNNER_TEST_KUBECONFIG
# names one already. Without the means to build it, only a run outside CI may
# skip the Kubernetes suites, and says so.
source scripts/lib/kubernetes.sh
if [ -z "${RUNNER_TEST_KUBECONFIG:-}" ]; then
  if cluster_prerequisites; then
    step "local Kubernetes (build once, then start)"
    build_cluster
    trap stop_cluster EXIT
    start_cluster
    source "$RUNNER_CLUSTER_RUN/cluster.env"
  elif [ "${CI:-}" = true ]; then
    echo "[test] CI=true: the Kubernetes suites cannot be skipped; install what is named above" >&2
    exit 1
  else
    echo "[test] skipping the Kubernetes suites: set RUNNER_TEST_KUBECONFIG to a kind/k3d/minikube cluster, or install what is named above" >&2
    export RUNNER_TEST_KUBERNETES=skip
  fi
fi

step "type-check (tsc)"
yarn tsc

step "lint"
yarn lint:all

step "unit and integration tests (jest)"
# One worker: side by side, the real-engine and real-cluster suites starve each
# other of two cores (timeouts).
CI=true yarn test:all --maxWorkers=1

# Stops, kills and restarts an engine of its own (a second dockerd with its own
# socket, data root and bridge), so it needs root, dockerd and ip.
if [ "$(id -u)" = 0 ] && command -v dockerd >/dev/null && command -v ip >/dev/null; then
  step "Docker engine stopped and killed while an instance runs"
  (cd plugins/runner-backend && CI=true RUNNER_DAEMON_RESTART_TEST=1 \
    yarn backstage-cli package test --watchAll=false src/instances/daemonRestart)
fi

step "end-to-end tests (Playwright in $RUNNER_CHROMIUM_PATH)"
CI=true yarn test:e2e

step "all tests passed"
