#!/usr/bin/env bash
# build-aux/screenshots.sh: the pictures in the README and the AppStream
# metainfo, taken from the real program under Xvfb on a generated sample
# file, into data/screenshots/:
#   main-light.png   the main window, light style, the inspector beside it
#   main-dark.png    the same in the dark style
#   find-results.png the find bar after Find All, its results in the side panel
#   preferences.png  the Preferences window
#   start-page.png   the empty window with its recent files
# A developer tool, not a test: it needs Xvfb, xdotool and ImageMagick's
# import (Debian: xvfb xdotool imagemagick) and says which one is missing.
# Look at every picture before committing it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/data/screenshots
build=${BUILD_DIR:-$root/_build}

for tool in Xvfb xdotool import python3; do
  command -v "$tool" >/dev/null || { echo "screenshots.sh: $tool is missing (Debian: xvfb xdotool imagemagick python3)" >&2; exit 1; }
done
[ -d "$build" ] || meson setup "$build"
ninja -C "$build"
maphex=$build/src/maphex

work=$(mktemp -d /tmp/maphex-shots-XXXXXX)
xvfb_pid=
app_pid=
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp -noreset >/dev/null 2>&1 &
xvfb_pid=$!
export DISPLAY=$display
ready=
for _ in $(seq 100); do
  kill -0 "$xvfb_pid" 2>/dev/null || break
  xdotool getdisplaygeometry >/dev/null 2>&1 && { ready=1; break; }
  sleep 0.1
done
[ -n "$ready" ] || { echo "screenshots.sh: Xvfb did not start on $display" >&2; exit 1; }

# A home of its own: settings in a keyfile, recent files, no user data.
export HOME=$work/home XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data XDG_CACHE_HOME=$work/cache
mkdir -p "$HOME" "$XDG_CONFIG_HOME/glib-2.0/settings" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
export GSETTINGS_BACKEND=keyfile GSETTINGS_SCHEMA_DIR=$build/data
export GDK_BACKEND=x11 NO_AT_BRIDGE=1 GTK_A11Y=none

# The sample: the start of a PNG file (signature, IHDR, a tEXt chunk, an IDAT
# of noise, IEND), the kind of structure a hex editor is opened on.
mkdir -p "$HOME/Pictures"
sample=$HOME/Pictures/sample.png
python3 - "$sample" <<'PY'
import random, struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
random.seed(7)
data = b"\x89PNG\r\n\x1a\n"
data += chunk(b"IHDR", struct.pack(">IIBBBBB", 640, 480, 8, 6, 0, 0, 0))
data += chunk(b"tEXt", b"Software\x00Maphex screenshot sample")
data += chunk(b"IDAT", bytes(random.randrange(256) for _ in range(3000)))
data += chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(data)
PY

settings() {
  printf '[io/github/maphex/Maphex]\ncolor-scheme=%s\n' "'$1'" > "$XDG_CONFIG_HOME/glib-2.0/settings/keyfile"
}

start() {
  "$maphex" --new-instance "$@" >"$work/maphex.log" 2>&1 &
  app_pid=$!
}

stop() {
  kill "$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
  app_pid=
}

window() {  # the id of the visible window whose title matches $1
  local id
  for _ in $(seq 100); do
    id=$(xdotool search --onlyvisible --name "$1" 2>/dev/null | head -1) && [ -n "$id" ] && { echo "$id"; return; }
    sleep 0.1
  done
  echo "screenshots.sh: no window named '$1'; maphex said:" >&2
  cat "$work/maphex.log" >&2
  exit 1
}

shoot() {  # window id, file name
  sleep 1  # the last frame drawn, animations over
  import -window "$1" "$out/$2"
  echo "wrote data/screenshots/$2"
}

keys() { xdotool key --delay 80 "$@"; }

mkdir -p "$out"
for scheme in light dark; do
  settings "$scheme"
  start "$sample"
  wid=$(window 'sample\.png')
  xdotool windowsize "$wid" 1100 680
  xdotool windowfocus --sync "$wid"
  sleep 0.5
  # The cursor on the IHDR width (offset 0x10), a big-endian uint32.
  keys Down
  shoot "$wid" "main-$scheme.png"
  stop
done

settings light
start "$sample"
wid=$(window 'sample\.png')
xdotool windowsize "$wid" 1100 680
xdotool windowfocus --sync "$wid"
sleep 0.5
keys ctrl+f
# Hex is the find bar's first mode: every run of two zero bytes.
xdotool type --delay 60 "00 00"
keys alt+a
shoot "$wid" find-results.png
keys ctrl+comma
pid=$(window '^Preferences$')
shoot "$pid" preferences.png
stop

start
wid=$(window '^Maphex$')
xdotool windowsize "$wid" 1100 680
shoot "$wid" start-page.png
stop
