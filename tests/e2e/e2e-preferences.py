#!/usr/bin/env python3
"""Preferences in the real maphex: a setting in the settings store (here a
keyfile backend with the text column's encoding set to EBCDIC) is what the
view does, so typing "A" in the text column writes C1; Ctrl+comma opens the
Preferences window and Escape closes it."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import maphexe2e as e2e  # noqa: E402


def main(tmp):
    config = os.path.join(tmp, "config")
    os.makedirs(os.path.join(config, "glib-2.0", "settings"))
    with open(os.path.join(config, "glib-2.0", "settings", "keyfile"), "w") as f:
        f.write("[io/github/maphex/Maphex]\ntext-encoding='ebcdic'\n")
    path = e2e.make_file(tmp, "prefs.bin", bytes(64))
    env = {"GSETTINGS_BACKEND": "keyfile", "XDG_CONFIG_HOME": config}
    with e2e.Maphex("--write-through", path, env=env) as app:
        wid = e2e.find_window(r"prefs\.bin")
        e2e.focus(wid)
        e2e.key("Tab")  # to the text column
        e2e.type_text("A")
        e2e.wait_until(lambda: e2e.read(path)[0] == 0xC1, "EBCDIC A (C1) in the file")
        assert e2e.read(path)[1:] == bytes(63)

        e2e.key("ctrl+comma")
        prefs = e2e.find_window("^Preferences$")
        e2e.focus(prefs)
        e2e.key("Escape")
        e2e.wait_until(lambda: not e2e.visible_windows("^Preferences$"), "the Preferences window to close")

        e2e.focus(wid)
        e2e.key("ctrl+w")
        app.assert_clean_exit()


if __name__ == "__main__":
    e2e.run(main)
