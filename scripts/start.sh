#!/usr/bin/env bash
# Starts the app (frontend on http://localhost:3000, backend on :7007) with
# the runner plugins on their embedded defaults: SQLite in memory, the local
# Docker engine if one answers, the examples in the catalog.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh" start
cd "$REPO_ROOT"
# shellcheck source=lib/crds.sh
source "$REPO_ROOT/scripts/lib/crds.sh"
if find_crds 2>/dev/null; then
  export APP_CONFIG_runner_gateway_crdDirectories="[\"$RUNNER_CRDS_DIR\"]"
else
  printf '[start] no upstream CRDs found (scripts/fetch-crds.sh says how to provide them): gateway validation will report kinds as unverified\n'
fi
exec yarn start
