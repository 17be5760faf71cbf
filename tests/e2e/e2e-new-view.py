#!/usr/bin/env python3
"""Two windows on one document (win.new-view): closing one of them asks
nothing, closing the last one with unsaved copy-on-write edits asks first;
Save from that question writes the edits."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import maphexe2e as e2e  # noqa: E402


def main(tmp):
    original = bytes(512)
    path = e2e.make_file(tmp, "two-views.bin", original)
    with e2e.Maphex(path) as app:
        first = e2e.find_window(r"two-views\.bin")
        e2e.focus(first)
        e2e.type_text("c0ffee")
        e2e.wait_until(lambda: "•" in e2e.window_name(first), "the modified mark")

        e2e.key("ctrl+alt+n")  # win.new-view
        e2e.wait_until(lambda: len(e2e.visible_windows(r"two-views\.bin")) == 2, "a second window")
        second = [w for w in e2e.visible_windows(r"two-views\.bin") if w != first][0]
        # One document: the second window shows it modified too.
        assert "•" in e2e.window_name(second), e2e.window_name(second)

        e2e.focus(second)
        e2e.key("ctrl+w")
        e2e.wait_until(lambda: len(e2e.visible_windows(r"two-views\.bin")) == 1, "the second window to close")
        assert not e2e.visible_windows("Unsaved Changes"), "closing a view that is not the last one asked"
        assert app.proc.poll() is None

        e2e.focus(first)
        e2e.key("ctrl+w")
        e2e.answer_dialog("Unsaved Changes", "alt+s")  # _Save
        app.assert_clean_exit()
    assert e2e.read(path) == b"\xc0\xff\xee" + original[3:]


if __name__ == "__main__":
    e2e.run(main)
