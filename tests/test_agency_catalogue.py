"""The portal's own catalogue (locale/): Vietnamese msgids, complete in both languages, compiled.

scripts/check_translations.sh also runs makemessages to prove no string of the code is missing;
these tests read the committed files with a small .po reader, so they need no gettext tools.
"""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdrf]|%[sdrf]|%\(\w+\)\.\d+f|%%")


def read_po(path):
    """[(flags, context, msgid, msgid_plural, [msgstr...])] of a .po file, without obsolete ones."""
    entries, entry, key = [], None, None

    def finish():
        if entry is not None and "msgid" in entry:
            strings = [entry[k] for k in sorted(k for k in entry if k.startswith("msgstr"))]
            entries.append(
                (
                    entry.get("flags", set()),
                    entry.get("msgctxt"),
                    entry["msgid"],
                    entry.get("msgid_plural"),
                    strings,
                )
            )

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            finish()
            entry, key = None, None
            continue
        if entry is None:
            entry = {}
        if line.startswith("#~"):
            entry = {"obsolete": True}
            continue
        if entry.get("obsolete"):
            continue
        if line.startswith("#,"):
            entry["flags"] = {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _space, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    finish()
    return entries


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete_and_nothing_is_fuzzy(language):
    entries = read_po(LOCALE / language / "LC_MESSAGES" / "django.po")
    messages = [e for e in entries if e[2]]

    assert len(messages) > 300
    assert not [e[2] for e in entries if "fuzzy" in e[0]]
    assert not [e[2] for e in messages if not all(e[4]) or not e[4]]


def test_vietnamese_repeats_its_msgids_and_english_translates_them():
    vi = {(e[1], e[2]): e[4] for e in read_po(LOCALE / "vi/LC_MESSAGES/django.po") if e[2]}
    en = {(e[1], e[2]): e[4] for e in read_po(LOCALE / "en/LC_MESSAGES/django.po") if e[2]}

    assert vi.keys() == en.keys()
    assert all(strings == [msgid] for (_context, msgid), strings in vi.items())
    untranslated = [msgid for (_c, msgid), strings in en.items() if strings[0] == msgid]
    # Only strings that read the same in both languages may stay as they are.
    assert set(untranslated) <= {"Fax", "fax", "Fax:", "album", "video"}
    assert en[(None, "Bỏ qua để đến nội dung chính")] == ["Skip to main content"]


def test_translations_keep_every_placeholder():
    for language in LANGUAGES:
        for _flags, _context, msgid, plural, strings in read_po(
            LOCALE / language / "LC_MESSAGES" / "django.po"
        ):
            expected = sorted(PLACEHOLDER.findall(plural or msgid))
            for string in strings:
                if msgid:
                    assert sorted(PLACEHOLDER.findall(string)) == expected, (language, msgid)


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_po(language):
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)

    for _flags, context, msgid, plural, strings in read_po(folder / "django.po"):
        if not msgid:
            continue
        key = f"{context}\x04{msgid}" if context else msgid
        if plural:
            for n, string in enumerate(strings):
                assert compiled._catalog[(key, n)] == string, (language, msgid)
        else:
            assert compiled._catalog[key] == strings[0], (language, msgid)
    messages = {k for k in compiled._catalog if k != ""}
    in_po = sum(len(e[4]) if e[3] else 1 for e in read_po(folder / "django.po") if e[2])
    assert len(messages) == in_po  # nothing in the .mo that the .po has dropped


def test_the_override_catalogue_stays_separate():
    assert settings.LOCALE_PATHS[0] == Path(settings.BASE_DIR) / "locale"
    assert Path(settings.LOCALE_PATHS[1]).name == "locale_overrides"
    ours = {e[2] for e in read_po(LOCALE / "vi/LC_MESSAGES/django.po")}
    overrides = {e[2] for e in read_po(Path(settings.LOCALE_PATHS[1]) / "vi/LC_MESSAGES/django.po")}
    assert not (ours & overrides) - {""}


def test_translated_routes_keep_their_converters():
    en = {e[2]: e[4][0] for e in read_po(LOCALE / "en/LC_MESSAGES/django.po") if e[2].endswith("/")}
    for route, english in en.items():
        assert re.findall(r"<[^>]+>", route) == re.findall(r"<[^>]+>", english), route
