#!/bin/sh
# The pipeline's memory is charged to the container: once it passes the memory
# limit the kernel OOM-kills `tail` (SIGKILL) and this script exits with the
# same status, 137, so the container's exit code tells the story too.
mb=${HOG_MB:-2000}
echo "memory-hog: allocating $mb MiB in ${HOG_DELAY:-2}s (set a memory limit below that)"
sleep "${HOG_DELAY:-2}"
head -c "${mb}m" /dev/zero | tail >/dev/null
status=$?
if [ "$status" -gt 128 ]; then
  echo "memory-hog: allocation killed by signal $((status - 128)) (OOM killer?)" >&2
  exit "$status"
fi
echo "memory-hog: still alive after $mb MiB (status $status): the memory limit is larger than that" >&2
exit 1
