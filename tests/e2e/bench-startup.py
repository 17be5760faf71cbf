#!/usr/bin/env python3
"""Startup benchmark: time from exec to the first frame, and resident memory
once the first frame is up, for a 1 KiB file, a 1 GiB file and a 1 TiB sparse
file. Opening maps the file and never reads it, so the three should match.

maphex prints its first frame when MAPHEX_BENCH_FIRST_FRAME=1 (the frame
clock's first "after-paint"): the CLOCK_MONOTONIC time, which this script
compares with its own clock taken just before starting the process.

Env: MAPHEX (the binary), MAPHEX_BENCH_RUNS (default 5), MAPHEX_BENCH_DIR
(where the big files live; default: a directory under the build dir, kept),
MAPHEX_BENCH_GHEX=1 also measures GHex (installed with apt-get only then).
"""
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time

TARGET_RSS_DELTA_MB = 30


def skip(why):
    print("SKIP:", why)
    sys.exit(77)


def make_files(directory):
    os.makedirs(directory, exist_ok=True)
    files = []
    small = os.path.join(directory, "bench-1KiB.bin")
    if not os.path.exists(small) or os.path.getsize(small) != 1024:
        with open(small, "wb") as f:
            f.write(os.urandom(1024))
    files.append(("1 KiB", small))

    gib = os.path.join(directory, "bench-1GiB.bin")
    if not os.path.exists(gib) or os.path.getsize(gib) != 1 << 30:
        chunk = os.urandom(1 << 20)
        with open(gib + ".part", "wb") as f:
            for _ in range(1024):
                f.write(chunk)
        os.rename(gib + ".part", gib)
    files.append(("1 GiB", gib))

    tib = os.path.join(directory, "bench-1TiB-sparse.bin")
    try:
        with open(tib, "wb") as f:
            f.truncate(1 << 40)
        files.append(("1 TiB sparse", tib))
    except OSError as e:
        print("no 1 TiB sparse file here (%s): skipped" % e)
    return files


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def run_maphex(binary, path, mode):
    env = dict(os.environ, MAPHEX_BENCH_FIRST_FRAME="1")
    start = time.monotonic()
    proc = subprocess.Popen([binary, "--new-instance", mode, path],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env=env, text=True)
    try:
        deadline = time.monotonic() + 30
        line = ""
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if line.startswith("maphex-first-frame") or line == "":
                break
        if not line.startswith("maphex-first-frame"):
            raise RuntimeError("maphex printed no first frame for %s" % path)
        fields = dict(kv.split("=") for kv in line.split()[1:])
        first_frame = int(fields["monotonic_us"]) / 1e6 - start
        since_main = int(fields["since_main_us"]) / 1e6
        rss_first = rss_kb(proc.pid)
        time.sleep(0.5)
        rss_settled = rss_kb(proc.pid)
        return first_frame, since_main, rss_first, rss_settled
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def settle(pid, start, limit_s=60.0, quiet_s=2.0):
    """Polls VmRSS until it has not grown by more than 1 MiB for quiet_s (the
    program has finished loading), or limit_s passed. Returns (seconds from
    start until it settled, or None at the limit; peak RSS in KiB)."""
    peak = rss_kb(pid)
    last_growth = time.monotonic()
    level = peak
    while time.monotonic() - start < limit_s:
        time.sleep(0.1)
        try:
            now = rss_kb(pid)
        except OSError:
            break
        peak = max(peak, now)
        if now > level + 1024:
            level = now
            last_growth = time.monotonic()
        elif time.monotonic() - last_growth >= quiet_s:
            return last_growth - start, peak
    return None, peak


def run_ghex(path):
    """Time until GHex's window is mapped (it has no first-frame hook), then
    until its memory stops growing (it has read the file), and its peak RSS."""
    # GHex reads the file into memory: an address-space cap makes it fail on
    # the 1 TiB file instead of taking the machine down with it.
    start = time.monotonic()
    proc = subprocess.Popen(["prlimit", "--as=%d" % (16 << 30), "ghex", path],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        name = os.path.basename(path)
        subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--name", name],
                       capture_output=True, timeout=60, check=True)
        window = time.monotonic() - start
        settled, peak = settle(proc.pid, start)
        return window, settled, peak
    except (subprocess.TimeoutExpired, subprocess.CalledProcessError):
        return None, None, (rss_kb(proc.pid) if proc.poll() is None else 0)
    finally:
        proc.kill()
        proc.wait()


def ghex_version():
    r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "ghex"], capture_output=True, text=True)
    return r.stdout.strip() or "?"


def ensure_ghex():
    if shutil.which("ghex"):
        return True
    print("installing ghex (MAPHEX_BENCH_GHEX=1)...")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    r = subprocess.run(sudo + ["apt-get", "install", "-y", "-q", "--no-install-recommends", "ghex"],
                       env=env, capture_output=True, text=True)
    if r.returncode != 0:
        print("could not install ghex:", r.stderr.strip().splitlines()[-1:] or r.returncode)
    return shutil.which("ghex") is not None


def main():
    if not os.environ.get("DISPLAY"):
        skip("no DISPLAY: run under xvfb-run")
    binary = os.environ.get("MAPHEX")
    if not binary:
        skip("MAPHEX is not set")
    runs = int(os.environ.get("MAPHEX_BENCH_RUNS", "5"))
    directory = os.environ.get("MAPHEX_BENCH_DIR") or os.path.join(os.getcwd(), "bench-data")
    files = make_files(directory)

    # An X server without -noreset resets when its last client leaves and
    # refuses connections meanwhile: keep one client for the whole run.
    keeper = subprocess.Popen(["xprop", "-root", "-spy", "WM_NAME"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        return measure(binary, files, runs)
    finally:
        keeper.kill()
        keeper.wait()


# Copy-on-write is the default and maps privately (a 1 TiB private map needs
# MAP_NORESERVE); read-only maps shared: both are measured.
MODES = ("--copy-on-write", "--read-only")


def measure(binary, files, runs):
    # One warm-up: fontconfig and the shader/icon caches are not what we measure.
    run_maphex(binary, files[0][1], MODES[0])

    rows = []
    for mode in MODES:
        for label, path in files:
            samples = [run_maphex(binary, path, mode) for _ in range(runs)]
            rows.append((label, mode[2:],
                         statistics.median(s[0] for s in samples) * 1000,
                         statistics.median(s[1] for s in samples) * 1000,
                         statistics.median(s[2] for s in samples) / 1024,
                         statistics.median(s[3] for s in samples) / 1024))

    print()
    print("maphex startup, median of %d runs (Xvfb, GSK renderer: %s)"
          % (runs, os.environ.get("GSK_RENDERER", "default")))
    print("%-14s %-14s %15s %15s %10s %15s" % ("file", "mode", "first frame ms", "from main() ms",
                                               "RSS MiB", "RSS +0.5 s MiB"))
    for r in rows:
        print("%-14s %-14s %15.1f %15.1f %10.1f %15.1f" % r)

    status = 0
    for mode in MODES:
        by_label = {r[0]: r for r in rows if r[1] == mode[2:]}
        if "1 TiB sparse" in by_label:
            delta = by_label["1 TiB sparse"][5] - by_label["1 KiB"][5]
            ok = delta <= TARGET_RSS_DELTA_MB
            print("RSS 1 TiB - 1 KiB, %s: %+.1f MiB (target: within %d MB) %s"
                  % (mode[2:], delta, TARGET_RSS_DELTA_MB, "OK" if ok else "FAILED"))
            if not ok:
                status = 1

    if os.environ.get("MAPHEX_BENCH_GHEX") == "1":
        if ensure_ghex():
            print("\nGHex %s, one run each, address space capped at 16 GiB"
                  % ghex_version())
            print("%-14s %12s %20s %14s" % ("file", "window ms", "memory settled ms", "peak RSS MiB"))
            for label, path in files:
                window, settled, peak = run_ghex(path)
                print("%-14s %12s %20s %14.1f" % (
                    label,
                    "no window" if window is None else "%.1f" % (window * 1000),
                    ("-" if window is None else "still growing at 60 s") if settled is None
                    else "%.1f" % (settled * 1000),
                    peak / 1024))
    else:
        print("\n(GHex side by side: MAPHEX_BENCH_GHEX=1; it is installed with apt-get only then)")
    return status


if __name__ == "__main__":
    sys.exit(main())
