# shellcheck shell=bash
# Starts the Docker engine the runner's tests use, with its own data root,
# exec root and socket, and waits until it answers. Sourced by bootstrap.sh,
# and by the daemon-restart test, which stops and starts the engine again.

RUNNER_DOCKERD_DIR="${RUNNER_DOCKERD_DIR:-/run/backstage-runner}"
RUNNER_DOCKERD_DATA="${RUNNER_DOCKERD_DATA:-/var/lib/backstage-runner/docker}"
RUNNER_DOCKERD_LOG="${RUNNER_DOCKERD_LOG:-/var/log/backstage-runner/dockerd.log}"

docker_answers() { timeout 5 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

# start_dockerd: starts dockerd in the background (as root) and waits up to 30 s.
# RUNNER_DOCKERD_FLAGS adds flags, e.g. a second engine's own bridge.
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
  local -a flags
  read -r -a flags <<<"${RUNNER_DOCKERD_FLAGS:-}"
  setsid dockerd \
    --data-root "$RUNNER_DOCKERD_DATA" \
    --exec-root "$RUNNER_DOCKERD_DIR/exec" \
    --pidfile "$RUNNER_DOCKERD_DIR/dockerd.pid" \
    -H "$DOCKER_HOST" \
    "${flags[@]}" \
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

# _gone PID: succeeds once the process has exited (a zombie has).
_gone() {
  local state
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)"
  [ -z "$state" ] || [ "$state" = Z ]
}

# kill_dockerd: kills that dockerd outright (SIGKILL), as a crash would, and
# waits until it and its containerd are gone; its containers keep running
# (their shims outlive both) until it starts again.
kill_dockerd() {
  local pid containerd i
  pid="$(cat "$RUNNER_DOCKERD_DIR/dockerd.pid" 2>/dev/null)" || return 1
  containerd="$(cat "$RUNNER_DOCKERD_DIR/exec/containerd/containerd.pid" 2>/dev/null || true)"
  kill -KILL "$pid" 2>/dev/null || return 1
  for i in $(seq 1 60); do
    _gone "$pid" && break
    sleep 0.25
  done
  _gone "$pid" || return 1
  # A killed engine leaves its pid file; a zombie's pid in it makes the next one refuse to start.
  rm -f "$RUNNER_DOCKERD_DIR/dockerd.pid"
  # containerd dies with its dockerd. A new dockerd that finds its pid alive
  # (a zombie counts) waits for it, and gives up: wait, then drop its pid file.
  [ -n "$containerd" ] || return 0
  for i in $(seq 1 40); do
    _gone "$containerd" && break
    sleep 0.25
  done
  _gone "$containerd" && rm -f "$RUNNER_DOCKERD_DIR/exec/containerd/containerd.pid"
  return 0
}
