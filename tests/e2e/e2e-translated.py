#!/usr/bin/env python3
"""The window speaks the language of LANGUAGE, not only --help: for each
language in po/LINGUAS, maphex started with LANGUAGE=xx (and the build's
catalogues through MAPHEX_LOCALEDIR) names the open file's mode in its title
in that language (a C string), titles the Go to dialog in it (a C string of a
dialog) and the Preferences window (a string of a .ui template). The expected
texts come from the compiled catalogue itself, and each must differ from the
English, so a message the catalogue lost fails too."""
import gettext
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import maphexe2e as e2e  # noqa: E402

# The English of the strings checked on screen.
MODE = "Read-only"
GOTO = "Go to Offset"
PREFERENCES = "Preferences"


LOCALEDIR, LINGUAS = sys.argv[1], sys.argv[2]


def languages():
    with open(LINGUAS) as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]


def catalogue(lang):
    mo = os.path.join(LOCALEDIR, lang, "LC_MESSAGES", "maphex.mo")
    assert os.path.exists(mo), "%s is not built (po/LINGUAS lists %s)" % (mo, lang)
    return gettext.translation("maphex", LOCALEDIR, languages=[lang])


def expect(tr, lang, english):
    text = tr.gettext(english)
    assert text != english, "%s: the catalogue does not translate %r" % (lang, english)
    return text


def check_language(tmp, lang):
    tr = catalogue(lang)
    mode = expect(tr, lang, MODE)
    goto = expect(tr, lang, GOTO)
    preferences = expect(tr, lang, PREFERENCES)

    path = e2e.make_file(tmp, "translated-%s.bin" % lang, bytes(256))
    # glibc ignores LANGUAGE in the C locale, so the locale is C.UTF-8
    # (present everywhere) and LC_ALL is unset, as a desktop session has.
    env = {"LANGUAGE": lang, "LANG": "C.UTF-8", "LC_ALL": None, "LC_MESSAGES": None,
           "MAPHEX_LOCALEDIR": LOCALEDIR}
    with e2e.Maphex("--read-only", path, env=env) as app:
        name = re.escape(os.path.basename(path))
        wid = e2e.find_window(name)
        title = e2e.window_name(wid)
        assert "(%s)" % mode in title, "%s: the window title %r does not name the mode as %r" % (lang, title, mode)
        assert MODE not in title, title

        e2e.focus(wid)
        e2e.key("ctrl+g")
        dialog = e2e.find_window("^%s$" % re.escape(goto))
        assert not e2e.visible_windows("^%s$" % GOTO)
        e2e.focus(dialog)
        e2e.key("Escape")
        e2e.wait_until(lambda: not e2e.visible_windows("^%s$" % re.escape(goto)), "the Go to dialog to close")

        e2e.focus(wid)
        e2e.key("ctrl+comma")
        prefs = e2e.find_window("^%s$" % re.escape(preferences))
        e2e.focus(prefs)
        e2e.key("Escape")
        e2e.wait_until(lambda: not e2e.visible_windows("^%s$" % re.escape(preferences)),
                       "the preferences window to close")

        e2e.focus(wid)
        e2e.key("ctrl+w")
        app.assert_clean_exit()
    print("%s: title %r, dialogs %r and %r" % (lang, title, goto, preferences))


def main(tmp):
    langs = languages()
    assert langs, "po/LINGUAS lists no language"
    for lang in langs:
        check_language(tmp, lang)


if __name__ == "__main__":
    e2e.run(main)
