#!/usr/bin/env python3
"""The find bar's four modes with real typing: Text, Hex, Hex with wildcards
and Regular expression, each chosen with the keyboard in the mode drop down
(Tab to it, Space, arrows, Return), each finding its planted pattern. What
the search selected is checked on disk: in write-through mode, Escape and
Delete remove exactly the selection from the file, and Ctrl+Z puts it back."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import maphexe2e as e2e  # noqa: E402

SIZE = 0x8000
# (mode index in the drop down, what is typed, offset, bytes planted there).
# Each pattern selects exactly its plant only in its own mode: in another
# it is refused ("0x" is no wildcard, "??" no hex) or, read as a regular
# expression, matches other bytes ("a.b*" matches "a.b").
PLANTS = [
    (0, "a.b*", 0x0a10, b"a.b*"),
    (1, "0xCAFE 0xbabe", 0x1b20, b"\xca\xfe\xba\xbe"),
    (2, "DE AD ?? EF", 0x2c30, b"\xde\xad\x77\xef"),
    (3, r"\x13\x37[\x00-\x0f]{2,4}\x42", 0x3d40, b"\x13\x37\x01\x02\x03\x42"),
]
# Each pattern as a byte regex, to make sure the random filler holds none.
AS_REGEX = [re.escape(b"a.b*"), re.escape(b"\xca\xfe\xba\xbe"),
            b"\xde\xad.\xef", b"\x13\x37[\x00-\x0f]{2,4}\x42"]


def make_data():
    while True:
        data = bytearray(os.urandom(SIZE))
        for _, _, at, planted in PLANTS:
            data[at:at + len(planted)] = planted
        data = bytes(data)
        if all(len(re.findall(r, data, re.S)) == 1 for r in AS_REGEX):
            return data


def choose_mode(index):
    """From the pattern entry: Tab to the mode drop down, open it, pick the
    entry `index` from the top, and Shift+Tab back to the pattern."""
    e2e.key("Tab")
    time.sleep(0.3)
    e2e.key("space")
    time.sleep(0.6)
    e2e.key("Home", *(["Down"] * index), "Return")
    time.sleep(0.4)
    e2e.key("shift+Tab")
    time.sleep(0.3)


def main(tmp):
    data = make_data()
    path = e2e.make_file(tmp, "modes.bin", data)
    with e2e.Maphex("--write-through", path) as app:
        wid = e2e.find_window(r"modes\.bin")
        e2e.focus(wid)
        for mode, typed, at, planted in PLANTS:
            e2e.key("ctrl+f")
            time.sleep(0.4)
            e2e.type_text(typed)
            choose_mode(mode)
            e2e.key("Return")
            time.sleep(1.0)
            e2e.key("Escape")  # closes the bar; the match stays selected
            time.sleep(0.4)
            e2e.key("Delete")
            without = data[:at] + data[at + len(planted):]
            e2e.wait_until(lambda: e2e.read(path) == without,
                           "the match of %r (mode %d) deleted at 0x%x" % (typed, mode, at))
            e2e.key("ctrl+z")
            e2e.wait_until(lambda: e2e.read(path) == data, "the delete undone")
        e2e.key("ctrl+w")
        app.assert_clean_exit()
    assert e2e.read(path) == data


if __name__ == "__main__":
    e2e.run(main)
