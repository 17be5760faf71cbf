#!/usr/bin/env python3
"""Reopen As (primary menu, keyboard only): a modified copy-on-write document
asks before its edits are dropped, then the same window edits the file
write-through, and its title says so."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import maphexe2e as e2e  # noqa: E402


def reopen_as(letter):
    e2e.key("F10")  # the primary menu
    time.sleep(0.4)
    e2e.key("e")    # Reop_en As
    time.sleep(0.4)
    e2e.key(letter)


def main(tmp):
    original = bytes(range(64))
    path = e2e.make_file(tmp, "reopen.bin", original)
    with e2e.Maphex(path) as app:
        wid = e2e.find_window(r"reopen\.bin")
        assert "Copy-on-write" in e2e.window_name(wid)
        e2e.focus(wid)
        e2e.type_text("77")
        e2e.wait_until(lambda: "•" in e2e.window_name(wid), "the modified mark")

        reopen_as("w")  # _Write-Through
        e2e.answer_dialog("Reopen File", "alt+d")  # _Discard and Reopen
        e2e.wait_until(lambda: "Write-through" in e2e.window_name(wid), "the write-through title")
        assert "•" not in e2e.window_name(wid)
        assert e2e.read(path) == original

        e2e.focus(wid)
        e2e.type_text("aa")  # the cursor stayed at offset 1
        expected = original[:1] + b"\xaa" + original[2:]
        e2e.wait_until(lambda: e2e.read(path) == expected, "the write-through edit in the file")

        reopen_as("r")  # _Read-Only: nothing unsaved, no question
        e2e.wait_until(lambda: "Read-only" in e2e.window_name(wid), "the read-only title")
        e2e.focus(wid)
        e2e.type_text("00")
        time.sleep(0.3)
        e2e.key("ctrl+w")
        app.assert_clean_exit()
    assert e2e.read(path) == expected


if __name__ == "__main__":
    e2e.run(main)
