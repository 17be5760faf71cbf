#!/usr/bin/env bash
# Builds Maphex and runs every test, on a fresh Debian 12 machine too:
#   1. the normal build: every suite (core, document, widget, e2e) under Xvfb;
#   2. the core again with the resize fallback forced (unmap and map again);
#   3. every suite but e2e under AddressSanitizer + UndefinedBehaviorSanitizer.
# MAPHEX_TEST_QUICK=1 runs only step 1.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/build-aux/install-deps.sh"
cd "$top"

export GDK_BACKEND=x11 GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1 GTK_A11Y=none
export MESON_TESTTHREADS=${MESON_TESTTHREADS:-2}

passed=0 failed=0 skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

configure () {  # builddir [meson options...]
  local dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then
    meson configure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@"
  fi
  meson compile -C "$dir"
}

run_tests () {  # label builddir [meson test options...]
  local label=$1 dir=$2; shift 2
  echo "=== $label"
  local rc=0
  xvfb-run -a -s "-screen 0 1920x1080x24 -nolisten tcp -noreset" \
    dbus-run-session -- meson test -C "$dir" --print-errorlogs "$@" 2>&1 | tee "$log" || rc=$?
  local ok fail skip to
  ok=$(awk '/^Ok:/ {print $2}' "$log" | tail -1)
  fail=$(awk '/^Fail:/ {print $2}' "$log" | tail -1)
  skip=$(awk '/^Skipped:/ {print $2}' "$log" | tail -1)
  to=$(awk '/^Timeout:/ {print $2}' "$log" | tail -1)
  passed=$((passed + ${ok:-0}))
  failed=$((failed + ${fail:-0} + ${to:-0}))
  skipped=$((skipped + ${skip:-0}))
  [ "$rc" -eq 0 ] || failed=$((failed + (${fail:-0} + ${to:-0} == 0 ? 1 : 0)))
}

configure _build
run_tests "all suites" _build

if [ "${MAPHEX_TEST_QUICK:-0}" != 1 ]; then
  configure _build-fallback -Dresize_fallback=true -Dgui=disabled
  run_tests "core, resize fallback forced" _build-fallback --suite core

  configure _build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
  # GTK and fontconfig keep caches for the life of the process: leaks are not
  # checked in the GUI suites, memory errors are.
  ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_tests "AddressSanitizer + UndefinedBehaviorSanitizer" _build-asan --no-suite e2e --no-suite slow
fi

echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
