#!/usr/bin/env python3
"""Another program changes or shrinks the file while maphex has it open: the
window offers to reload, asks before dropping unsaved copy-on-write edits,
and the program never dies of it."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import maphexe2e as e2e  # noqa: E402


def write_at(path, offset, data):
    with open(path, "r+b") as f:
        f.seek(offset)
        f.write(data)


def changed_with_unsaved_edits(tmp):
    original = os.urandom(8192)
    path = e2e.make_file(tmp, "changed.bin", original)
    with e2e.Maphex(path) as app:
        wid = e2e.find_window(r"changed\.bin")
        e2e.focus(wid)
        e2e.type_text("0102")
        e2e.wait_until(lambda: "•" in e2e.window_name(wid), "the modified mark")

        write_at(path, 0x100, b"OTHER PROGRAM")
        expected = bytearray(original)
        expected[0x100:0x100 + 13] = b"OTHER PROGRAM"
        time.sleep(1.5)  # the file monitor's rate limit

        # The bar's Reload button; with unsaved edits it asks first.
        e2e.key("alt+r")
        e2e.answer_dialog("Reload File", "alt+d")  # _Discard and Reload
        e2e.wait_until(lambda: "•" not in e2e.window_name(wid), "the edits to be dropped by the reload")
        assert app.proc.poll() is None
        # Nothing was saved over the other program's bytes.
        assert e2e.read(path) == bytes(expected)

        e2e.focus(wid)
        e2e.key("ctrl+w")
        app.assert_clean_exit()
    assert e2e.read(path) == bytes(expected)


def shrunk_under_the_map(tmp):
    path = e2e.make_file(tmp, "shrunk.bin", os.urandom(256 * 1024))
    with e2e.Maphex("--write-through", path) as app:
        wid = e2e.find_window(r"shrunk\.bin")
        e2e.focus(wid)
        os.truncate(path, 100)
        time.sleep(1.5)
        # Reading past the new end through the map would be SIGBUS without the core's guard.
        e2e.key("ctrl+End", "Page_Up", "Page_Up", "ctrl+Home", "Page_Down")
        time.sleep(0.5)
        assert app.proc.poll() is None, "maphex died when the file shrank:\n" + app.output()
        e2e.key("alt+r")  # Reload: nothing unsaved in write-through mode
        time.sleep(1.0)
        assert app.proc.poll() is None, "maphex died on reload:\n" + app.output()
        e2e.key("ctrl+End")
        e2e.type_text("ee")
        e2e.key("ctrl+w")
        app.assert_clean_exit()
    assert os.path.getsize(path) == 100


def reload_clicked_keeps_the_keyboard(tmp):
    """Reload clicked with the mouse: its button disappears with the bar, and
    the keys typed next still edit the file (they went nowhere before)."""
    path = e2e.make_file(tmp, "clicked.bin", bytes(4096))
    with e2e.Maphex("--write-through", path) as app:
        wid = e2e.find_window(r"clicked\.bin")
        e2e.focus(wid)
        os.truncate(path, 100)
        time.sleep(1.5)
        # The bar's Reload button sits at its right end, left of its close button.
        e2e.click(wid, 91, 76)
        time.sleep(1.0)  # the reload (nothing on screen names it but a notice)
        assert app.proc.poll() is None, "maphex died on reload:\n" + app.output()
        e2e.key("ctrl+Home")
        e2e.type_text("ee")
        e2e.wait_until(lambda: e2e.read(path)[:1] == b"\xee", "the typed byte in the file")
        e2e.key("ctrl+w")
        app.assert_clean_exit()


def main(tmp):
    changed_with_unsaved_edits(tmp)
    shrunk_under_the_map(tmp)
    reload_clicked_keeps_the_keyboard(tmp)


if __name__ == "__main__":
    e2e.run(main)
