#!/usr/bin/env python3
"""One process, two files, two windows: Ctrl+Q closes the saved one at once
and asks about the one with unsaved copy-on-write edits; Cancel keeps it,
Discard ends the process and leaves the file as it was."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import maphexe2e as e2e  # noqa: E402


def main(tmp):
    a = e2e.make_file(tmp, "quit-a.bin", bytes(100))
    b = e2e.make_file(tmp, "quit-b.bin", bytes(100))
    with e2e.Maphex(a, b) as app:
        wa = e2e.find_window(r"quit-a\.bin")
        e2e.find_window(r"quit-b\.bin")
        e2e.focus(wa)
        e2e.type_text("11")
        e2e.wait_until(lambda: "•" in e2e.window_name(wa), "the modified mark")

        e2e.key("ctrl+q")
        question = e2e.find_window("Unsaved Changes")
        e2e.wait_until(lambda: not e2e.visible_windows(r"quit-b\.bin"), "the saved window to close")
        e2e.focus(question)
        e2e.key("Escape")  # Cancel: the modified window stays
        time.sleep(0.5)
        assert app.proc.poll() is None
        assert e2e.visible_windows(r"quit-a\.bin")

        e2e.focus(wa)
        e2e.key("ctrl+q")
        e2e.answer_dialog("Unsaved Changes", "alt+d")
        app.assert_clean_exit()
    assert e2e.read(a) == bytes(100) and e2e.read(b) == bytes(100)


if __name__ == "__main__":
    e2e.run(main)
