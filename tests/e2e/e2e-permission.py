#!/usr/bin/env python3
"""Write-through on a file the user may not write: the message names the file
and the reason and offers read-only or copy-on-write; "Open Read-Only" opens
it read-only. Runs maphex as `nobody` (the tests run as root, which may write
anything); skipped when that is impossible."""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import maphexe2e as e2e  # noqa: E402

NOBODY = 65534


def main(tmp):
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        print("needs root and setpriv to run maphex as another user")
        sys.exit(e2e.SKIP)
    os.chmod(tmp, 0o755)
    path = e2e.make_file(tmp, "not-mine.bin", os.urandom(512))
    os.chmod(path, 0o644)  # root's: nobody may read it, not write it
    home = os.path.join(tmp, "home")
    os.mkdir(home)
    os.chown(home, NOBODY, NOBODY)

    # nobody's own data directory: the test's (root's) is not theirs to
    # read or write, and Maphex says so when its bookmarks cannot be kept.
    env = {"HOME": home, "XDG_RUNTIME_DIR": "", "DBUS_SESSION_BUS_ADDRESS": "disabled:",
           "XDG_DATA_HOME": os.path.join(home, ".local", "share")}
    xauth = os.environ.get("XAUTHORITY")
    if xauth:
        copy = os.path.join(home, "Xauthority")
        shutil.copyfile(xauth, copy)
        os.chown(copy, NOBODY, NOBODY)
        env["XAUTHORITY"] = copy
    # Every directory above the binary must be searchable by nobody.
    binary = e2e.maphex_binary()
    probe = subprocess.run(["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY,
                            "--clear-groups", binary, "--version"], capture_output=True)
    if probe.returncode != 0:
        print("nobody cannot run %s" % binary)
        sys.exit(e2e.SKIP)

    with e2e.Maphex("--write-through", path, env=env,
                    prefix=["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY,
                            "--clear-groups"]) as app:
        dialog = e2e.find_window("Could Not Open File")
        out = e2e.wait_until(lambda: "maphex:" in app.output() and app.output(), "the message")
        assert "not-mine.bin" in out and "ermission" in out, out
        e2e.focus(dialog)
        e2e.key("alt+r")  # Open _Read-Only
        wid = e2e.find_window(r"not-mine\.bin")
        assert "Read-only" in e2e.window_name(wid), e2e.window_name(wid)
        e2e.focus(wid)
        e2e.key("ctrl+w")
        app.assert_clean_exit()


if __name__ == "__main__":
    e2e.run(main)
