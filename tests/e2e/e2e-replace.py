#!/usr/bin/env python3
"""Replace with real keys: Ctrl+H, type the pattern, Tab to the replacement,
type it; Enter goes to the first match, Enter again replaces it and goes to
the next; Alt+E (Replace All) replaces the rest; Ctrl+S saves. The file on
disk is compared with the bytes the test expects, then again after an undo
of the Replace All (one step) and a second save."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import maphexe2e as e2e  # noqa: E402

NEEDLE = b"\x4d\x5a\x90\x00"
REPLACEMENT = b"\x7f\x45\x4c\x46"
AT = [0x0300, 0x1234, 0x2800, 0x3ffc]


def main(tmp):
    while True:
        data = bytearray(os.urandom(0x4000))
        for at in AT:
            data[at:at + 4] = NEEDLE
        data = bytes(data)
        if data.count(NEEDLE) == len(AT) and REPLACEMENT not in data:
            break
    path = e2e.make_file(tmp, "replace.bin", data)

    def replaced(offsets):
        out = bytearray(data)
        for at in offsets:
            out[at:at + 4] = REPLACEMENT
        return bytes(out)

    with e2e.Maphex(path) as app:
        wid = e2e.find_window(r"replace\.bin")
        assert "Copy-on-write" in e2e.window_name(wid), e2e.window_name(wid)
        e2e.focus(wid)
        e2e.key("ctrl+h")
        time.sleep(0.4)
        e2e.type_text("4D 5A 90 00")
        e2e.key("Tab")
        time.sleep(0.3)
        e2e.type_text("7f 45 4c 46")
        e2e.key("Return")          # the first match, selected, nothing written
        time.sleep(1.0)
        e2e.key("Return")          # replaced, the next one selected
        time.sleep(1.0)
        e2e.key("ctrl+s")
        e2e.wait_until(lambda: e2e.read(path) == replaced(AT[:1]), "the first match replaced and saved")

        e2e.key("alt+e")           # Replace All: the three left
        time.sleep(1.0)
        e2e.key("ctrl+s")
        e2e.wait_until(lambda: e2e.read(path) == replaced(AT), "every match replaced and saved")

        # One undo takes back the whole Replace All (from the view: the
        # entry has an undo of its own).
        e2e.key("Escape")
        time.sleep(0.4)
        e2e.key("ctrl+z")
        time.sleep(0.5)
        e2e.key("ctrl+s")
        e2e.wait_until(lambda: e2e.read(path) == replaced(AT[:1]), "the Replace All undone and saved")
        e2e.key("ctrl+w")
        app.assert_clean_exit()
    assert e2e.read(path) == replaced(AT[:1])


if __name__ == "__main__":
    e2e.run(main)
