# shellcheck shell=bash
# Environment shared by every script: where the toolchain and the local Docker
# engine live. Sourced, never run; it writes only the yarn shim in the tools cache.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export REPO_ROOT

# Toolchain cache outside the repo, so a fresh clone reuses what an earlier
# run installed (quick when everything is present).
RUNNER_TOOLS_DIR="${RUNNER_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/backstage-runner}"
export RUNNER_TOOLS_DIR
NODE22_DIR="$RUNNER_TOOLS_DIR/node-22"

# Prefer the system Node when it is new enough; else the one bootstrap unpacked.
node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 22 ] && [ -x "$NODE22_DIR/bin/node" ]; then
  export PATH="$NODE22_DIR/bin:$PATH"
  # node-gyp must build native modules (better-sqlite3, keytar) against these
  # headers: downloading headers does not work on every network.
  export npm_config_nodedir="$NODE22_DIR"
fi

# Yarn 4 from the committed release; no global install, no corepack. A shim
# on PATH (not a shell function) so that child processes such as
# `backstage-cli repo start` and Playwright's web servers find it too.
RUNNER_YARN_BIN="$(ls "$REPO_ROOT"/.yarn/releases/yarn-*.cjs 2>/dev/null | head -n 1)"
export RUNNER_YARN_BIN
# The shim reads the release from the environment, so one shim serves every
# clone that shares the cache (one that named a path went stale when another
# clone ran first).
RUNNER_SHIM_DIR="$RUNNER_TOOLS_DIR/shims"
RUNNER_SHIM='#!/bin/sh
[ -n "$RUNNER_YARN_BIN" ] || { echo "yarn: source scripts/lib/env.sh first (RUNNER_YARN_BIN is unset)" >&2; exit 1; }
exec node "$RUNNER_YARN_BIN" "$@"'
if [ "$(cat "$RUNNER_SHIM_DIR/yarn" 2>/dev/null)" != "$RUNNER_SHIM" ]; then
  mkdir -p "$RUNNER_SHIM_DIR"
  printf '%s\n' "$RUNNER_SHIM" > "$RUNNER_SHIM_DIR/yarn.$$"
  chmod +x "$RUNNER_SHIM_DIR/yarn.$$"
  mv -f "$RUNNER_SHIM_DIR/yarn.$$" "$RUNNER_SHIM_DIR/yarn"
fi
export PATH="$RUNNER_SHIM_DIR:$PATH"

# The Docker engine the runner and its tests use. An engine the user already
# runs (DOCKER_HOST or the default socket) wins; otherwise the one that
# bootstrap starts with its own data and exec roots.
RUNNER_DOCKERD_DIR="${RUNNER_DOCKERD_DIR:-/run/backstage-runner}"
if [ -z "${DOCKER_HOST:-}" ] && [ ! -S /var/run/docker.sock ] && [ -S "$RUNNER_DOCKERD_DIR/docker.sock" ]; then
  export DOCKER_HOST="unix://$RUNNER_DOCKERD_DIR/docker.sock"
fi
