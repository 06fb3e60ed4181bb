#!/usr/bin/env bash
# Runs a command with an X display: the current one when it answers, else a private Xvfb that
# is stopped afterwards (VTK and QOpenGLWidget need GLX; Qt's offscreen platform cannot host them).
# Usage: scripts/with-display.sh COMMAND [ARGS...]
set -uo pipefail

if [ -n "${DISPLAY:-}" ] && xdpyinfo >/dev/null 2>&1; then
  exec "$@"
fi

if ! command -v Xvfb >/dev/null 2>&1; then
  echo "with-display: no display and no Xvfb (run scripts/bootstrap.sh)" >&2
  exit 1
fi

# Pick a free display number; lock files and sockets mark the used ones.
num=99
while [ -e "/tmp/.X${num}-lock" ] || [ -e "/tmp/.X11-unix/X${num}" ]; do num=$((num + 1)); done
Xvfb ":${num}" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
cleanup() { kill "$xvfb_pid" 2>/dev/null; wait "$xvfb_pid" 2>/dev/null; }
trap cleanup EXIT INT TERM
for _ in $(seq 1 100); do
  [ -e "/tmp/.X11-unix/X${num}" ] && break
  sleep 0.1
done
if [ ! -e "/tmp/.X11-unix/X${num}" ]; then
  echo "with-display: Xvfb :${num} did not start" >&2
  exit 1
fi
export DISPLAY=":${num}"
unset WAYLAND_DISPLAY
"$@"
exit $?
