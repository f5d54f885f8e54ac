# shellcheck shell=bash
# Where the upstream CRDs (Gateway API, Envoy Gateway, Envoy AI Gateway) and the
# AI Gateway's CEL fixtures come from. One lookup for scripts, tests and the
# example app; the repository itself never holds a copy of them.
#
#   1. RUNNER_CRDS_DIR (and RUNNER_CRD_FIXTURES_DIR), when set
#   2. ../shared/crds and ../shared/crd-fixtures beside the checkout
#   3. the pinned upstream files of scripts/crds.lock, fetched once into the
#      tools cache and checked against their sha256 (scripts/fetch-crds.sh)
#
# find_crds exports RUNNER_CRDS_DIR and RUNNER_CRD_FIXTURES_DIR, or returns 1
# after printing the three ways to provide them. Sourced, never run.

RUNNER_CRDS_LOCK="$REPO_ROOT/scripts/crds.lock"
RUNNER_CRDS_CACHE="$RUNNER_TOOLS_DIR/crds-$(sha256sum "$RUNNER_CRDS_LOCK" | cut -c1-12)"

crds_complete() { # dir with crds/ and crd-fixtures/ai-gateway/
  [ -d "$1/crds/gateway-api" ] && [ -d "$1/crds/envoy-gateway" ] && [ -d "$1/crds/ai-gateway" ] &&
    [ -d "$2/ai-gateway" ]
}

# Downloads every file of crds.lock into the cache, all or nothing.
fetch_crds() {
  local partial="$RUNNER_CRDS_CACHE.partial" sha rel url
  rm -rf "$partial"
  while IFS=$'\t' read -r sha rel url; do
    [ -n "$sha" ] || continue
    mkdir -p "$partial/$(dirname "$rel")"
    if ! curl -fsSL --connect-timeout 5 --max-time 120 -o "$partial/$rel" "$url" 2>/dev/null; then
      printf '[crds] could not fetch %s\n' "$url" >&2
      rm -rf "$partial"
      return 1
    fi
    if [ "$(sha256sum "$partial/$rel" | cut -d' ' -f1)" != "$sha" ]; then
      printf '[crds] %s does not match its pinned sha256 in scripts/crds.lock\n' "$url" >&2
      rm -rf "$partial"
      return 1
    fi
  done <"$RUNNER_CRDS_LOCK"
  rm -rf "$RUNNER_CRDS_CACHE"
  mv "$partial" "$RUNNER_CRDS_CACHE"
}

crds_help() {
  cat >&2 <<EOT
[crds] the upstream CRDs and CEL fixtures were not found. Provide them in one of three ways:
  1. set RUNNER_CRDS_DIR to a folder with gateway-api/, envoy-gateway/ and ai-gateway/ CRDs
     (and RUNNER_CRD_FIXTURES_DIR to a folder with ai-gateway/ fixtures), or
  2. put them beside the checkout as ../shared/crds and ../shared/crd-fixtures, or
  3. let scripts/fetch-crds.sh download the pinned upstream files of scripts/crds.lock
     (needs access to GitHub; checked against their sha256; cached in $RUNNER_CRDS_CACHE).
EOT
}

# find_crds [--no-fetch]
find_crds() {
  local shared
  if [ -n "${RUNNER_CRDS_DIR:-}" ]; then
    if [ -d "$RUNNER_CRDS_DIR/ai-gateway" ] && [ -d "${RUNNER_CRD_FIXTURES_DIR:-}/ai-gateway" ]; then
      export RUNNER_CRDS_DIR RUNNER_CRD_FIXTURES_DIR
      return 0
    fi
    printf '[crds] RUNNER_CRDS_DIR=%s lacks ai-gateway/, or RUNNER_CRD_FIXTURES_DIR=%s lacks ai-gateway/\n' \
      "$RUNNER_CRDS_DIR" "${RUNNER_CRD_FIXTURES_DIR:-}" >&2
    crds_help
    return 1
  fi
  shared="$(cd "$REPO_ROOT/.." && pwd)/shared"
  if crds_complete "$shared" "$shared/crd-fixtures"; then
    export RUNNER_CRDS_DIR="$shared/crds" RUNNER_CRD_FIXTURES_DIR="$shared/crd-fixtures"
    return 0
  fi
  if ! crds_complete "$RUNNER_CRDS_CACHE" "$RUNNER_CRDS_CACHE/crd-fixtures" && [ "${1:-}" != --no-fetch ]; then
    printf '[crds] fetching the pinned upstream CRDs and fixtures (scripts/crds.lock)\n' >&2
    fetch_crds || true
  fi
  if crds_complete "$RUNNER_CRDS_CACHE" "$RUNNER_CRDS_CACHE/crd-fixtures"; then
    export RUNNER_CRDS_DIR="$RUNNER_CRDS_CACHE/crds" RUNNER_CRD_FIXTURES_DIR="$RUNNER_CRDS_CACHE/crd-fixtures"
    return 0
  fi
  crds_help
  return 1
}
