# shellcheck shell=bash
# Starts the Docker engine the runner's tests use, with its own data root,
# exec root and socket, and waits until it answers. Sourced by bootstrap.sh,
# and by the daemon-restart test, which stops and starts the engine again.

RUNNER_DOCKERD_DIR="${RUNNER_DOCKERD_DIR:-/run/backstage-runner}"
RUNNER_DOCKERD_DATA="${RUNNER_DOCKERD_DATA:-/var/lib/backstage-runner/docker}"
RUNNER_DOCKERD_LOG="${RUNNER_DOCKERD_LOG:-/var/log/backstage-runner/dockerd.log}"

docker_answers() { timeout 5 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

# start_dockerd: starts dockerd in the background (as root) and waits up to 30 s.
start_dockerd() {
  mkdir -p "$RUNNER_DOCKERD_DATA" "$RUNNER_DOCKERD_DIR/exec" "$(dirname "$RUNNER_DOCKERD_LOG")"
  # A pid file left by a killed dockerd makes the next one refuse to start when
  # its pid now belongs to another process.
  local pidfile="$RUNNER_DOCKERD_DIR/dockerd.pid" old
  old="$(cat "$pidfile" 2>/dev/null || true)"
  if [ -n "$old" ] && [ "$(cat "/proc/$old/comm" 2>/dev/null)" != dockerd ]; then
    rm -f "$pidfile"
  fi
  export DOCKER_HOST="unix://$RUNNER_DOCKERD_DIR/docker.sock"
  setsid dockerd \
    --data-root "$RUNNER_DOCKERD_DATA" \
    --exec-root "$RUNNER_DOCKERD_DIR/exec" \
    --pidfile "$RUNNER_DOCKERD_DIR/dockerd.pid" \
    -H "$DOCKER_HOST" \
    >>"$RUNNER_DOCKERD_LOG" 2>&1 </dev/null &
  local i
  for i in $(seq 1 60); do
    docker_answers && return 0
    sleep 0.5
  done
  echo "dockerd did not answer within 30 s; see $RUNNER_DOCKERD_LOG" >&2
  return 1
}

# stop_dockerd: stops the dockerd that start_dockerd started and waits for it to exit.
stop_dockerd() {
  local pid
  pid="$(cat "$RUNNER_DOCKERD_DIR/dockerd.pid" 2>/dev/null)" || return 1
  kill -TERM "$pid" 2>/dev/null || return 1
  local i
  for i in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  return 1
}
