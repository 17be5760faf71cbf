#!/usr/bin/env python3
"""Missing files, directories, sockets and endless character devices get a message that names the file and
the reason (on stderr and in a dialog). The dialog belongs to an empty Maphex
window ("Open a File"), which stays once it is closed, as after starting
maphex without a file; closing that window ends maphex with status 1, since
the file never opened."""
import os
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import maphexe2e as e2e  # noqa: E402


def expect_error(target, words):
    with e2e.Maphex(target) as app:
        dialog = e2e.find_window("Could Not Open File")
        out = e2e.wait_until(lambda: "maphex:" in app.output() and app.output(), "the message on stderr")
        assert os.path.basename(target) in out, out
        line = [l for l in out.splitlines() if l.startswith("maphex:")][0]
        assert any(w in line.lower() for w in words), line
        empty = e2e.find_window(r"^Maphex$")
        e2e.focus(dialog)
        e2e.key("Return")
        e2e.wait_until(lambda: not e2e.visible_windows("Could Not Open File"), "the dialog to close")
        assert empty in e2e.visible_windows(r"^Maphex$"), "the empty window should stay"
        # A dialog with a parent: GTK says nothing about it.
        assert "transient parent" not in app.output(), app.output()
        e2e.focus(empty)
        e2e.key("ctrl+w")
        app.assert_clean_exit(1, "maphex should exit with status 1 after an open error")


def main(tmp):
    expect_error(os.path.join(tmp, "no-such-file.bin"), ["no such", "not exist", "not found"])
    expect_error(tmp, ["directory", "folder"])
    # (a FIFO opens as a snapshot now: e2e-snapshot.py)
    sock_path = os.path.join(tmp, "a-socket")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(sock_path)
    try:
        expect_error(sock_path, ["socket", "not a regular"])
    finally:
        sock.close()
    expect_error("/dev/zero", ["character device", "never end"])


if __name__ == "__main__":
    e2e.run(main)
