"""Every interface string has its English translation and its three Ukrainian plural forms."""

import polib
import pytest
from django.conf import settings

LOCALE = settings.BASE_DIR / "locale"


def test_every_english_message_is_translated():
    catalog = polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))

    missing = [entry.msgid for entry in catalog if not entry.translated() or entry.fuzzy]

    assert missing == []


def test_ukrainian_plurals_have_all_three_forms():
    catalog = polib.pofile(str(LOCALE / "uk" / "LC_MESSAGES" / "django.po"))

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
