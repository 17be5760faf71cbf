"""Helpers for the end-to-end tests: start the real maphex binary under the
X server the test runner provides, find its windows with xdotool and drive
them with real key presses (XTEST), then look at the file on disk."""

import os
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77


def skip_unless_display():
    if not os.environ.get("DISPLAY"):
        print("no DISPLAY: run under xvfb-run (build-aux/test.sh does)")
        sys.exit(SKIP)
    for tool in ("xdotool", "xprop"):
        if shutil.which(tool) is None:
            print(tool + " is missing")
            sys.exit(SKIP)


def maphex_binary():
    path = os.environ.get("MAPHEX")
    if not path:
        sys.exit("MAPHEX is not set (meson sets it to the built binary)")
    return path


def xdotool(*args, timeout=20, check=True):
    result = subprocess.run(["xdotool", *args], capture_output=True, text=True,
                            timeout=timeout)
    if check and result.returncode != 0:
        raise RuntimeError("xdotool %s failed: %s" % (" ".join(args), result.stderr))
    return result.stdout.strip()


def wait_until(predicate, what, timeout=15.0, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("timed out waiting for " + what)


def visible_windows(name):
    """The ids of the visible windows whose title matches `name` (a regex)."""
    result = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", name],
                            capture_output=True, text=True, timeout=10)
    return result.stdout.split()


def find_window(name, timeout=15.0):
    """The id of the visible window whose title matches `name` (a regex)."""
    def search():
        ids = visible_windows(name)
        return ids[0] if ids else None
    return wait_until(search, "a window named %r" % name, timeout)


def window_name(wid):
    return xdotool("getwindowname", wid, check=False)


def focus(wid):
    xdotool("windowfocus", "--sync", wid)
    # The server has the focus; give GTK a moment to see FocusIn.
    time.sleep(0.3)


def key(*keys):
    xdotool("key", "--delay", "60", *keys)


def type_text(text):
    xdotool("type", "--delay", "60", text)


def click(wid, from_right, from_top):
    """Clicks in window `wid`, `from_right` pixels left of its right edge and
    `from_top` below its top."""
    geometry = xdotool("getwindowgeometry", "--shell", wid)
    values = dict(line.split("=", 1) for line in geometry.splitlines())
    x = int(values["X"]) + int(values["WIDTH"]) - from_right
    y = int(values["Y"]) + from_top
    xdotool("mousemove", str(x), str(y), "click", "1")


def answer_dialog(title, *keys):
    """Waits for the window titled `title` (a regex), focuses it and presses
    `keys` in it; returns its id."""
    dialog = find_window(title)
    focus(dialog)
    key(*keys)
    return dialog


def enter_in_dialog(title, text, pause=0.0):
    """Waits for the dialog titled `title` (a regex), replaces the text of its
    focused entry with `text` and presses Return, `pause` seconds after typing
    (a file chooser completes the path meanwhile); returns its id."""
    dialog = find_window(title)
    focus(dialog)
    key("ctrl+a")
    type_text(text)
    if pause:
        time.sleep(pause)
    key("Return")
    return dialog


class Maphex:
    """One maphex process (a new instance, so tests never talk to another)."""

    def __init__(self, *args, env=None, prefix=(), stdin=None):
        self.log = tempfile.NamedTemporaryFile(prefix="maphex-e2e-", suffix=".log", delete=False)
        full_env = dict(os.environ)
        for name, value in (env or {}).items():
            if value:
                full_env[name] = value
            else:
                full_env.pop(name, None)
        self.proc = subprocess.Popen([*prefix, maphex_binary(), "--new-instance", *args],
                                     stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=stdin, env=full_env)

    def output(self):
        with open(self.log.name, errors="replace") as f:
            return f.read()

    def wait_exit(self, timeout=15.0):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError("maphex did not exit; its output:\n" + self.output())

    def assert_clean_exit(self, status=0, message=None):
        """Waits for the process to exit with `status`, then checks it printed
        no warnings."""
        got = self.wait_exit()
        assert got == status, message or "maphex exited with status %d, not %d" % (got, status)
        self.check_no_criticals()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def check_no_criticals(self):
        out = self.output()
        bad = [l for l in out.splitlines() if "CRITICAL" in l or "Maphex-WARNING" in l]
        assert not bad, "maphex printed warnings:\n" + "\n".join(bad)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()
        if exc[0] is not None:
            sys.stderr.write("maphex output:\n" + self.output())
        os.unlink(self.log.name)
        return False


def make_file(directory, name, data):
    path = os.path.join(directory, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def read(path):
    with open(path, "rb") as f:
        return f.read()


def hold_display():
    """Keeps one client connected to the X server for the whole test.

    An X server without -noreset (xvfb-run's default) resets when its last
    client disconnects, and refuses connections while it does: a maphex
    started right after another one exited could not open the display."""
    for _ in range(100):
        keeper = subprocess.Popen(["xprop", "-root", "-spy", "WM_NAME"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.1)
        if keeper.poll() is None:
            return keeper
    raise RuntimeError("cannot connect to the X server at " + os.environ.get("DISPLAY", "?"))


def run(test):
    """Runs test(tmpdir) in a fresh temporary directory; prints the outcome."""
    skip_unless_display()
    keeper = hold_display()
    try:
        with tempfile.TemporaryDirectory(prefix="maphex-e2e-") as tmp:
            # A data directory of the test's own (bookmarks, recent files):
            # the suites run at once, and a widget test may hold, for a
            # moment, a store that cannot be written in the shared one.
            os.environ["XDG_DATA_HOME"] = os.path.join(tmp, "data-home")
            os.mkdir(os.environ["XDG_DATA_HOME"])
            test(tmp)
    finally:
        keeper.kill()
        keeper.wait()
    print("ok")
