#!/usr/bin/env python3
"""Recent files: a file opened in maphex is on the start page of the next
maphex started without a file, first and focused, so Return opens it; the
Open Recent menu lists it too. The recent list is the test's own
(XDG_DATA_HOME in the test's directory)."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import maphexe2e as e2e  # noqa: E402


def main(tmp):
    data_home = os.path.join(tmp, "data")
    os.mkdir(data_home)
    env = {"XDG_DATA_HOME": data_home}
    original = b"MZ" + bytes(range(62))
    path = e2e.make_file(tmp, "recent-one.bin", original)

    with e2e.Maphex(path, env=env) as app:
        wid = e2e.find_window(r"recent-one\.bin")
        e2e.focus(wid)
        e2e.key("ctrl+q")
        app.assert_clean_exit()
    xbel = os.path.join(data_home, "recently-used.xbel")
    assert os.path.exists(xbel), "no recent list was written"
    assert "recent-one.bin" in open(xbel, errors="replace").read()

    with e2e.Maphex(env=env) as app:
        wid = e2e.find_window(r"^Maphex$")
        e2e.focus(wid)
        e2e.key("Return")  # the first recent file has the focus
        e2e.wait_until(lambda: "recent-one.bin" in e2e.window_name(wid),
                       "the recent file opened in the start window")
        e2e.key("ctrl+w")
        app.assert_clean_exit()

    # The menu: F10, Open _Recent, its first item.
    with e2e.Maphex(env=env) as app:
        wid = e2e.find_window(r"^Maphex$")
        e2e.focus(wid)
        e2e.key("F10")
        time.sleep(0.4)
        e2e.key("r")
        time.sleep(0.4)
        e2e.key("Down", "Return")
        e2e.wait_until(lambda: "recent-one.bin" in e2e.window_name(wid),
                       "the recent file opened from the menu")
        e2e.key("ctrl+w")
        app.assert_clean_exit()
    assert e2e.read(path) == original


if __name__ == "__main__":
    e2e.run(main)
