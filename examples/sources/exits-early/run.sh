#!/bin/sh
n=${WORK_SECONDS:-5}
echo "exits-early: starting, will exit with code 3 after ${n}s"
i=1
while [ "$i" -le "$n" ]; do
  echo "exits-early: working ($i/$n)"
  sleep 1
  i=$((i + 1))
done
echo "exits-early: fatal: lost connection to the (imaginary) database, exiting with code 3" >&2
exit 3
