#!/usr/bin/env python3
"""Types hex digits into the real maphex and saves with Ctrl+S: in
write-through mode the bytes reach the file at once, in copy-on-write mode the
file is untouched until Ctrl+S."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import maphexe2e as e2e  # noqa: E402

ORIGINAL = bytes(range(256)) * 4  # 1 KiB


def copy_on_write(tmp):
    path = e2e.make_file(tmp, "cow-edit.bin", ORIGINAL)
    with e2e.Maphex(path) as app:
        wid = e2e.find_window(r"cow-edit\.bin")
        assert "Copy-on-write" in e2e.window_name(wid), e2e.window_name(wid)
        e2e.focus(wid)
        e2e.type_text("deadbeef")
        # The title gets a bullet once the document is modified.
        e2e.wait_until(lambda: "•" in e2e.window_name(wid), "the modified mark")
        time.sleep(0.3)
        assert e2e.read(path) == ORIGINAL, "copy-on-write edit reached the file before Save"

        # The typed run is one undo step (view.undo / view.redo through the
        # application's accelerators).
        e2e.key("ctrl+z")
        e2e.wait_until(lambda: "•" not in e2e.window_name(wid), "undo to clear the modified mark")
        e2e.key("ctrl+shift+z")
        e2e.wait_until(lambda: "•" in e2e.window_name(wid), "redo to set the modified mark")

        e2e.key("ctrl+s")
        expected = b"\xde\xad\xbe\xef" + ORIGINAL[4:]
        e2e.wait_until(lambda: e2e.read(path) == expected, "the saved bytes in the file")
        e2e.wait_until(lambda: "•" not in e2e.window_name(wid), "the modified mark to go")

        # Saved: closing asks nothing and ends the process.
        e2e.key("ctrl+w")
        app.assert_clean_exit()
    assert e2e.read(path) == expected


def write_through(tmp):
    path = e2e.make_file(tmp, "wt-edit.bin", ORIGINAL)
    with e2e.Maphex("--write-through", "--goto", "0x10", path) as app:
        wid = e2e.find_window(r"wt-edit\.bin")
        assert "Write-through" in e2e.window_name(wid), e2e.window_name(wid)
        e2e.focus(wid)
        e2e.type_text("0102cafe")
        expected = ORIGINAL[:0x10] + b"\x01\x02\xca\xfe" + ORIGINAL[0x14:]
        # Write-through: the bytes are in the file before any Save.
        e2e.wait_until(lambda: e2e.read(path) == expected, "the typed bytes in the file")
        e2e.key("ctrl+s")
        time.sleep(0.3)
        e2e.key("ctrl+w")
        app.assert_clean_exit()
    assert e2e.read(path) == expected


def main(tmp):
    copy_on_write(tmp)
    write_through(tmp)


if __name__ == "__main__":
    e2e.run(main)
