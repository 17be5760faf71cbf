#!/usr/bin/env python3
"""`printf ... | maphex -` reads standard input once into a snapshot: the
window is named after it and says it is a snapshot, and Save (Ctrl+S) goes
to Save As, which writes exactly the bytes of the pipe. A /proc file opens as
a snapshot too; a disk (a loop device, where one can be made) opens
read-only by default and says it is a block device (issue 11)."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import maphexe2e as e2e  # noqa: E402


def main(tmp):
    data = b"piped \x00\x01\x02 bytes\n" * 3
    dest = os.path.join(tmp, "from-stdin.bin")
    printf = subprocess.Popen(["printf", data.decode().replace("\x00", "\\000")
                               .replace("\x01", "\\001").replace("\x02", "\\002")
                               .replace("\n", "\\n")],
                              stdout=subprocess.PIPE)
    with e2e.Maphex("-", stdin=printf.stdout) as app:
        printf.stdout.close()
        win = e2e.find_window(r"^standard input \(Snapshot, ")
        e2e.focus(win)
        e2e.key("ctrl+s")  # a snapshot has no file to save to: Save As
        e2e.enter_in_dialog("^Save As$", dest, pause=0.3)
        e2e.wait_until(lambda: os.path.exists(dest) and e2e.read(dest) == data,
                       "the snapshot saved with the bytes of the pipe")
        e2e.focus(win)
        e2e.key("ctrl+w")
        app.assert_clean_exit()
    printf.wait()

    with e2e.Maphex("/proc/self/status") as app:
        win = e2e.find_window(r"^status \(Snapshot, ")
        e2e.focus(win)
        e2e.key("ctrl+w")
        app.assert_clean_exit()

    backing = e2e.make_file(tmp, "disk.img", bytes(range(256)) * 256)
    made = subprocess.run(["losetup", "-f", "--show", backing], capture_output=True, text=True)
    if made.returncode != 0:
        print("# no loop device (%s): the block device part is skipped" % made.stderr.strip())
        return
    device = made.stdout.strip()
    try:
        with e2e.Maphex(device) as app:
            win = e2e.find_window(r"^%s \(Block device, Read-only\)" % os.path.basename(device))
            e2e.focus(win)
            e2e.key("ctrl+w")
            app.assert_clean_exit()
    finally:
        subprocess.run(["losetup", "-d", device])


if __name__ == "__main__":
    e2e.run(main)
