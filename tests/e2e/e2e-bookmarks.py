#!/usr/bin/env python3
"""The whole scenario of issue 10, with real input: open a binary, read an
int32 in the inspector and edit it there to -1, save, bookmark its four bytes
with Ctrl+D (named in the dialog), quit; reopen: the bookmark is kept (its
store names it), Ctrl+Alt+Down goes to it (typing there changes the byte at
its offset), and the value is -1 as saved."""
import glob
import os
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import maphexe2e as e2e  # noqa: E402

AT = 0x40
INT32_ROW = 4  # int8, uint8, int16, uint16, int32


def stores():
    home = os.environ["XDG_DATA_HOME"]
    return [p for p in glob.glob(os.path.join(home, "maphex", "bookmarks", "*.ini"))
            if os.path.isfile(p)]


def store_of(path):
    real = os.path.realpath(path)
    for store in stores():
        with open(store) as f:
            text = f.read()
        if "path=" + real + "\n" in text:
            return text
    return None


def main(tmp):
    data = bytearray(os.urandom(4096))
    data[AT:AT + 4] = struct.pack("<i", 305419896)
    data = bytes(data)
    path = e2e.make_file(tmp, "scenario.bin", data)
    saved = data[:AT] + struct.pack("<i", -1) + data[AT + 4:]

    with e2e.Maphex("--copy-on-write", path) as app:
        wid = e2e.find_window(r"scenario\.bin")
        e2e.focus(wid)
        e2e.key("ctrl+g")
        e2e.enter_in_dialog("^Go to Offset$", hex(AT))
        time.sleep(0.4)
        e2e.focus(wid)

        # The inspector: its int32 row, -1 typed there.
        e2e.click(wid, 150, 165)
        time.sleep(0.3)
        e2e.key(*(["Up"] * 8 + ["Down"] * INT32_ROW))
        e2e.key("minus", "1")
        time.sleep(0.2)
        e2e.key("Return")
        time.sleep(0.4)
        e2e.key("ctrl+s")
        e2e.wait_until(lambda: e2e.read(path) == saved, "int32 -1 saved at 0x40")

        # Back in the view on the value's bytes: select them and bookmark.
        e2e.key("ctrl+g")
        e2e.enter_in_dialog("^Go to Offset$", hex(AT))
        time.sleep(0.4)
        e2e.focus(wid)
        e2e.key("shift+Right", "shift+Right", "shift+Right", "shift+Right")
        e2e.key("ctrl+d")
        dialog = e2e.find_window("^Add Bookmark$")
        e2e.focus(dialog)
        e2e.type_text("count")
        e2e.key("Return")
        e2e.wait_until(lambda: not e2e.visible_windows("^Add Bookmark$"), "the dialog closed")
        e2e.focus(wid)
        e2e.key("ctrl+q")
        app.assert_clean_exit()

    store = store_of(path)
    assert store is not None, "no bookmark store names %s: %s" % (path, stores())
    assert "name=count\n" in store and "offset=64\n" in store and "length=4\n" in store, store

    with e2e.Maphex("--copy-on-write", path) as app:
        wid = e2e.find_window(r"scenario\.bin")
        e2e.focus(wid)
        assert e2e.read(path) == saved
        # From the start of the file, the next bookmark is the value's.
        e2e.key("ctrl+Home", "ctrl+alt+Down")
        time.sleep(0.3)
        e2e.type_text("77")
        e2e.key("ctrl+s")
        expected = saved[:AT] + b"\x77" + saved[AT + 1:]
        e2e.wait_until(lambda: e2e.read(path) == expected, "0x77 typed at the bookmark, saved")
        e2e.key("ctrl+q")
        app.assert_clean_exit()


if __name__ == "__main__":
    e2e.run(main)
