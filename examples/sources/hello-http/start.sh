#!/bin/sh
# httpd ignores SIGTERM when it is PID 1, so a shell stays PID 1 and forwards
# the stop signal: `docker stop` returns at once instead of after a SIGKILL.
echo "hello-http: serving /www on :${PORT:-8080} (GREETING=${GREETING:-})"
httpd -f -v -p "${PORT:-8080}" -h /www &
pid=$!
trap 'echo "hello-http: stopping"; kill -TERM "$pid" 2>/dev/null; exit 0' TERM INT
wait "$pid"
exit $?
