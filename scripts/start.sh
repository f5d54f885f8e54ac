#!/usr/bin/env bash
# Starts the app (frontend on http://localhost:3000, backend on :7007) with
# the runner plugins on their embedded defaults: SQLite in memory, the local
# Docker engine if one answers, the examples in the catalog.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh" start
cd "$REPO_ROOT"
exec yarn start
