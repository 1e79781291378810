"""Every interface string has its English translation and its three Ukrainian plural forms."""

import polib
import pytest
from django.conf import settings

# The project's catalogue plus one per app that keeps its own (events/locale/…).
LOCALE_DIRS = [settings.BASE_DIR / "locale"] + sorted(settings.BASE_DIR.glob("*/locale"))


def po_files(language):
    return [
        path
        for directory in LOCALE_DIRS
        if (path := directory / language / "LC_MESSAGES" / "django.po").exists()
    ]


def test_every_app_catalogue_exists_in_both_languages():
    assert len(po_files("en")) == len(po_files("uk")) >= 1


@pytest.mark.parametrize("path", po_files("en"), ids=str)
def test_every_english_message_is_translated(path):
    catalog = polib.pofile(str(path))

    missing = [entry.msgid for entry in catalog if not entry.translated() or entry.fuzzy]

    assert missing == []


@pytest.mark.parametrize("path", po_files("uk"), ids=str)
def test_every_ukrainian_catalogue_uses_the_three_form_plural_rule(path):
    # makemessages may write Django's own four-form rule (with fractions); one rule everywhere
    # keeps «1 бібліотека / 3 бібліотеки / 11 бібліотек» the same in every app.
    assert polib.pofile(str(path)).metadata["Plural-Forms"].startswith("nplurals=3;")


@pytest.mark.parametrize("path", po_files("uk"), ids=str)
def test_ukrainian_plurals_have_all_three_forms(path):
    catalog = polib.pofile(str(path))

    incomplete = [
        entry.msgid
        for entry in catalog
        if entry.msgid_plural and not all(entry.msgstr_plural.get(i) for i in range(3))
    ]

    assert incomplete == []


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, "1 бібліотеку"), (3, "3 бібліотеки"), (11, "11 бібліотек"), (22, "22 бібліотеки")],
)
def test_branch_count_uses_the_ukrainian_plural(client, db, count, expected):
    from django.utils import translation

    with translation.override("uk"):
        text = translation.ngettext(
            "Знайдено %(counter)s бібліотеку", "Знайдено %(counter)s бібліотек", count
        ) % {"counter": count}

    assert text == f"Знайдено {expected}"
