#!/usr/bin/env bash
# Builds Maphex and starts it: build-aux/run.sh [maphex options] [FILE...]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/build-aux/install-deps.sh"
cd "$top"
[ -f _build/build.ninja ] || meson setup _build
meson compile -C _build
# Uninstalled: the settings schema compiled in the build directory.
export GSETTINGS_SCHEMA_DIR="$top/_build/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}"
exec ./_build/src/maphex "$@"
