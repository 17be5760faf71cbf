#!/usr/bin/env bash
# Builds Maphex and runs every benchmark, one at a time, under Xvfb; each
# prints its own table. The figures in the README come from this command.
#   find           core find/rfind vs glibc memmem, 1 GiB in the page cache
#   search         the editor's search path (maphex_document_find_async), 1 GiB
#   frame          one full frame of a 1920x1080 view: build, and cairo raster
#   bench-startup  start to first frame and resident memory, 1 KiB/1 GiB/1 TiB
#   save           Save As of 1 TiB sparse vs cp --sparse=always; 1-byte Save in 8 GiB
#   undo           resident memory of deleting 1 GiB in write-through, and its undo
# MAPHEX_BENCH_GHEX=1 also measures GHex (installed with apt-get then).
# Extra arguments go to `meson test`, e.g. `build-aux/bench.sh find`.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/build-aux/install-deps.sh"
cd "$top"
[ -f _build/build.ninja ] || meson setup _build
meson compile -C _build
export GDK_BACKEND=x11 GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1 GTK_A11Y=none
# Wide enough for the inspector benchmark's five windows side by side (no
# window manager places them); the others use a 1920x1080 window of it.
exec xvfb-run -a -s "-screen 0 8400x1100x24 -nolisten tcp -noreset" \
  dbus-run-session -- meson test -C _build --benchmark --suite bench --verbose "$@"
