#!/bin/sh
root=/tmp/www
rm -rf "$root" && cp -r /www "$root" || {
  echo "turns-unhealthy: cannot write $root: /tmp must be writable (a tmpfs with --read-only)" >&2
  exit 1
}
echo "turns-unhealthy: healthy for ${HEALTHY_SECONDS:-20}s, serving $root on :${PORT:-8080}"
httpd -f -v -p "${PORT:-8080}" -h "$root" &
pid=$!
(
  sleep "${HEALTHY_SECONDS:-20}"
  rm -f "$root/healthz"
  echo "turns-unhealthy: removed /healthz, health checks fail from now on"
) &
trap 'echo "turns-unhealthy: stopping"; kill -TERM 0 2>/dev/null; exit 0' TERM INT
wait "$pid"
exit $?
