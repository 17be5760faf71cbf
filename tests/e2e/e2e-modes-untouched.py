#!/usr/bin/env python3
"""A copy-on-write session whose edits are discarded on close, and a read-only
session where typing is refused, both leave the file byte for byte as it was."""
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import maphexe2e as e2e  # noqa: E402

ORIGINAL = os.urandom(3000)


def cow_discard(tmp):
    path = e2e.make_file(tmp, "cow-discard.bin", ORIGINAL)
    reference = path + ".orig"
    shutil.copyfile(path, reference)
    with e2e.Maphex("--copy-on-write", path) as app:
        wid = e2e.find_window(r"cow-discard\.bin")
        e2e.focus(wid)
        e2e.type_text("00112233445566778899")
        e2e.key("ctrl+End")
        e2e.type_text("ff")
        e2e.wait_until(lambda: "•" in e2e.window_name(wid), "the modified mark")
        assert e2e.read(path) == e2e.read(reference)

        # Closing asks: Save, Discard or Cancel. Cancel first: still open.
        e2e.key("ctrl+w")
        e2e.answer_dialog("Unsaved Changes", "Escape")
        time.sleep(0.5)
        assert app.proc.poll() is None, "Cancel closed the window"
        assert e2e.read(path) == e2e.read(reference)

        e2e.focus(wid)
        e2e.key("ctrl+w")
        e2e.answer_dialog("Unsaved Changes", "alt+d")  # _Discard
        app.assert_clean_exit()
    assert e2e.read(path) == e2e.read(reference), "discarded copy-on-write edits changed the file"


def read_only(tmp):
    path = e2e.make_file(tmp, "ro.bin", ORIGINAL)
    reference = path + ".orig"
    shutil.copyfile(path, reference)
    with e2e.Maphex("--read-only", path) as app:
        wid = e2e.find_window(r"ro\.bin")
        assert "Read-only" in e2e.window_name(wid), e2e.window_name(wid)
        e2e.focus(wid)
        e2e.type_text("00112233")
        e2e.key("ctrl+v", "ctrl+s", "ctrl+z")
        time.sleep(0.5)
        assert "•" not in e2e.window_name(wid), "a read-only document became modified"
        # Nothing to save: closing asks nothing.
        e2e.key("ctrl+w")
        app.assert_clean_exit()
    assert e2e.read(path) == e2e.read(reference), "a read-only session changed the file"


def main(tmp):
    cow_discard(tmp)
    read_only(tmp)


if __name__ == "__main__":
    e2e.run(main)
