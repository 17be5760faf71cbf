#!/usr/bin/env python3
"""The Edit menu (the pencil button) closes when one of its entries opens a
dialog: it is a plain popover of buttons, and left open it covered the dialog
and ate the first click outside it (the user had to click Fill's OK twice)."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import maphexe2e as e2e  # noqa: E402


def visible_popovers():
    """Popover surfaces: override-redirect windows with no title of their own."""
    return e2e.visible_windows("^maphex$")


def main(tmp):
    data = bytes(range(256)) * 4
    path = e2e.make_file(tmp, "menu.bin", data)
    with e2e.Maphex("--write-through", path) as app:
        wid = e2e.find_window(r"menu\.bin")
        e2e.focus(wid)
        e2e.key("shift+Right", "shift+Right")  # a selection, so Fill is enabled

        # The header bar's buttons end with: Save, Find, Edit, primary menu,
        # then the window controls; find the Edit button from the right edge.
        e2e.click(wid, 198, 26)
        e2e.wait_until(visible_popovers, "the Edit menu to open")

        # The first entry (Fill Selection…) has the focus: run it.
        time.sleep(0.3)
        e2e.key("Return")
        dialog = e2e.find_window("^Fill Selection$")
        e2e.wait_until(lambda: not visible_popovers(), "the Edit menu to close")

        # The dialog gets the keyboard at once: fill the selection with FF.
        e2e.focus(dialog)
        e2e.key("ctrl+a")
        e2e.type_text("FF")
        e2e.key("Return")
        expected = b"\xff\xff" + data[2:]
        e2e.wait_until(lambda: e2e.read(path) == expected, "the selection filled with FF")
        e2e.focus(wid)
        e2e.key("ctrl+w")
        app.assert_clean_exit()


if __name__ == "__main__":
    e2e.run(main)
