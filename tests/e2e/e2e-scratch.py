#!/usr/bin/env python3
"""File → New Scratch Buffer (Shift+Ctrl+N): an anonymous map of the size
typed, editable, saved with Save As (Ctrl+S goes there too)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import maphexe2e as e2e  # noqa: E402


def main(tmp):
    dest = os.path.join(tmp, "from-scratch.bin")
    with e2e.Maphex() as app:
        empty = e2e.find_window("^Maphex$")
        e2e.focus(empty)
        e2e.key("shift+ctrl+n")
        e2e.enter_in_dialog("^New Scratch Buffer$", "64")
        # The scratch buffer goes into the empty window.
        e2e.wait_until(lambda: e2e.window_name(empty) not in ("Maphex", ""), "the scratch buffer")
        e2e.focus(empty)
        e2e.type_text("0123")
        e2e.wait_until(lambda: "•" in e2e.window_name(empty), "the modified mark")

        e2e.key("ctrl+s")  # a scratch buffer has no file: Save As
        e2e.enter_in_dialog("^Save As$", dest, pause=0.3)
        e2e.wait_until(lambda: os.path.exists(dest) and e2e.read(dest) == b"\x01\x23" + bytes(62),
                       "the scratch buffer saved as a file")

        # Saved: the scratch buffer is not modified any more, closing asks nothing.
        e2e.wait_until(lambda: "•" not in e2e.window_name(empty), "the modified mark to go")
        e2e.focus(empty)
        e2e.key("ctrl+w")
        app.assert_clean_exit()


if __name__ == "__main__":
    e2e.run(main)
