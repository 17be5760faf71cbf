#!/usr/bin/env python3
"""The Open dialog (Ctrl+O) opens a file into the empty window, in the
default copy-on-write mode; Save As (Shift+Ctrl+S) writes the edited content
to a new file and leaves the original alone."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import maphexe2e as e2e  # noqa: E402


def main(tmp):
    original = os.urandom(2048)
    path = e2e.make_file(tmp, "opened.bin", original)
    copy = os.path.join(tmp, "saved-as.bin")
    with e2e.Maphex() as app:
        empty = e2e.find_window("^Maphex$")
        e2e.focus(empty)
        e2e.key("ctrl+o")
        e2e.answer_dialog("^Open File$", "ctrl+l")
        time.sleep(0.3)
        e2e.type_text(path)
        time.sleep(0.3)
        e2e.key("Return")

        # The file opens in the window that was empty.
        e2e.wait_until(lambda: "opened.bin (Copy-on-write)" in e2e.window_name(empty),
                       "the empty window to show the file")
        e2e.focus(empty)
        e2e.type_text("5a5a")
        e2e.wait_until(lambda: "•" in e2e.window_name(empty), "the modified mark")

        e2e.key("shift+ctrl+s")
        e2e.enter_in_dialog("^Save As$", copy, pause=0.3)
        expected = b"\x5a\x5a" + original[2:]
        e2e.wait_until(lambda: os.path.exists(copy) and e2e.read(copy) == expected,
                       "the Save As copy")
        assert e2e.read(path) == original, "Save As changed the original file"

        # The document is still the original file, still modified.
        e2e.focus(empty)
        e2e.key("ctrl+w")
        e2e.answer_dialog("Unsaved Changes", "alt+d")
        app.assert_clean_exit()
    assert e2e.read(path) == original


if __name__ == "__main__":
    e2e.run(main)
