#!/usr/bin/env python3
"""Write-through: find a hex pattern with the find bar, delete the match with
the Delete key, insert zero bytes with the Insert key and its dialog, and
check the file's bytes and length."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import maphexe2e as e2e  # noqa: E402

NEEDLE = b"\xca\xfe\xba\xbe"
AT = 0x1800


def main(tmp):
    data = bytearray(os.urandom(16384))
    while NEEDLE in data:
        data = bytearray(os.urandom(16384))
    data[AT:AT + 4] = NEEDLE
    data = bytes(data)
    path = e2e.make_file(tmp, "ops.bin", data)
    with e2e.Maphex("--write-through", path) as app:
        wid = e2e.find_window(r"ops\.bin")
        e2e.focus(wid)
        e2e.key("ctrl+f")
        time.sleep(0.4)
        e2e.type_text("CA FE ba be")
        e2e.key("Return")
        time.sleep(1.0)
        e2e.key("Escape")  # closes the bar; the match stays selected
        time.sleep(0.4)

        e2e.key("Delete")
        deleted = data[:AT] + data[AT + 4:]
        e2e.wait_until(lambda: e2e.read(path) == deleted, "the match deleted from the file")

        e2e.key("Insert")
        e2e.enter_in_dialog("^Insert Bytes$", "0x10")
        inserted = deleted[:AT] + bytes(16) + deleted[AT:]
        e2e.wait_until(lambda: e2e.read(path) == inserted, "16 zero bytes inserted at the cursor")

        # Undo the insert from the keyboard: the file is as after the delete.
        e2e.focus(wid)
        e2e.key("ctrl+z")
        e2e.wait_until(lambda: e2e.read(path) == deleted, "the insert undone")
        e2e.key("ctrl+w")
        app.assert_clean_exit()
    assert e2e.read(path) == deleted


if __name__ == "__main__":
    e2e.run(main)
