#!/bin/sh
# Start BURNERS busy-loops in the background, then httpd; a shell stays PID 1
# so that `docker stop` (SIGTERM) stops everything at once.
burners=${BURNERS:-1}
echo "cpu-burner: burning $burners CPU core(s), /healthz on :${PORT:-8080}"
i=0
while [ "$i" -lt "$burners" ]; do
  sh -c 'while :; do :; done' &
  i=$((i + 1))
done
httpd -f -v -p "${PORT:-8080}" -h /www &
pid=$!
trap 'echo "cpu-burner: stopping"; kill -TERM 0 2>/dev/null; exit 0' TERM INT
wait "$pid"
exit $?
