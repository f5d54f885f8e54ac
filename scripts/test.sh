#!/usr/bin/env bash
# Installs what is missing, then runs every test: type-check, lint, unit and
# integration tests (real dockerd, SQLite and PostgreSQL) and the end-to-end
# tests in a real Chromium. Screenshots and reports go to artifacts/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh" test
cd "$REPO_ROOT"
mkdir -p artifacts

step() { printf '\n=== %s ===\n' "$*"; }

step "type-check (tsc)"
yarn tsc

step "lint"
yarn lint:all

step "unit and integration tests (jest)"
CI=true yarn test:all

# Restarts the engine, so it runs alone, and only on the engine bootstrap started.
if [ -f "$RUNNER_DOCKERD_DIR/dockerd.pid" ]; then
  step "Docker daemon restart while an instance runs"
  (cd plugins/runner-backend && CI=true RUNNER_DAEMON_RESTART_TEST=1 \
    yarn backstage-cli package test --watchAll=false src/instances/daemonRestart)
fi

step "end-to-end tests (Playwright in $RUNNER_CHROMIUM_PATH)"
CI=true yarn test:e2e

step "all tests passed"
