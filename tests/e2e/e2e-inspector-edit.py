#!/usr/bin/env python3
"""Copy-on-write: go to an int32, edit it to -1 in the data inspector by
typing in its panel (a click on its rows, Up and Down to the int32 row, the
value typed there opens the row's editor, Return writes it), save, and check
the file's bytes with struct: exactly those four bytes changed."""
import os
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import maphexe2e as e2e  # noqa: E402

AT = 0x40
INT32_ROW = 4  # int8, uint8, int16, uint16, int32


def main(tmp):
    data = bytearray(os.urandom(4096))
    data[AT:AT + 4] = struct.pack("<i", 305419896)
    data = bytes(data)
    path = e2e.make_file(tmp, "values.bin", data)
    with e2e.Maphex("--copy-on-write", path) as app:
        wid = e2e.find_window(r"values\.bin")
        e2e.focus(wid)
        e2e.key("ctrl+g")
        e2e.enter_in_dialog("^Go to Offset$", hex(AT))
        time.sleep(0.4)
        e2e.focus(wid)

        # The inspector's first row, below its tabs and byte order switch.
        e2e.click(wid, 150, 165)
        time.sleep(0.3)
        e2e.key(*(["Up"] * 8 + ["Down"] * INT32_ROW))
        e2e.key("minus", "1")  # xdotool type would take "-1" for an option
        time.sleep(0.2)
        e2e.key("Return")
        time.sleep(0.4)
        # Copy-on-write: nothing reaches the file before Save.
        assert e2e.read(path) == data, "the edit reached the file before Save"

        e2e.key("ctrl+s")
        expected = data[:AT] + struct.pack("<i", -1) + data[AT + 4:]
        e2e.wait_until(lambda: e2e.read(path) == expected, "int32 -1 saved at 0x40")
        assert struct.unpack_from("<i", e2e.read(path), AT)[0] == -1
        e2e.key("ctrl+w")
        app.assert_clean_exit()
    assert e2e.read(path) == expected


if __name__ == "__main__":
    e2e.run(main)
