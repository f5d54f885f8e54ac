#!/usr/bin/env bash
# Downloads the pinned upstream CRDs and CEL fixtures (scripts/crds.lock) into
# the tools cache, checking each file's sha256, then prints where they are:
#   eval "$(scripts/fetch-crds.sh)"   # exports RUNNER_CRDS_DIR, RUNNER_CRD_FIXTURES_DIR
# Uses RUNNER_CRDS_DIR or ../shared instead when those are there.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "$REPO_ROOT/scripts/lib/crds.sh"
find_crds "$@"
printf 'export RUNNER_CRDS_DIR=%q RUNNER_CRD_FIXTURES_DIR=%q\n' "$RUNNER_CRDS_DIR" "$RUNNER_CRD_FIXTURES_DIR"
