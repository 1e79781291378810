"""«2045 бібліографічних записів», not «2045 бібліографічні записи».

Django's admin counts with `verbose_name` for one and `verbose_name_plural` for the rest; in
Ukrainian the plural name is the nominative, which is right after 2–4 (and 22–24 …) but wrong
after 5–20, 25–30 … (genitive plural) and after 21, 31 … (singular). `count_phrase` picks the
form by the Ukrainian plural rule and makes the genitive plural by inflecting the words of
`verbose_name_plural` up to its head noun with pymorphy3 («анкети волонтерів» → «анкет
волонтерів»).

Where pymorphy3 cannot get it right (a collective plural name such as «черга листів», a name
whose plural is spelt like the singular, two nouns joined by «та»), the model says it itself
with a class attribute: `count_forms_uk = ("лист у черзі", "листи в черзі", "листів у черзі")`
— the forms after 1, after 2 and after 5. It is read only when the language is Ukrainian.
Other languages get Django's two forms.
"""

import re
from functools import lru_cache

from django.utils.translation import get_language

_WORD = re.compile(r"[^\W\d_]+(?:[-’'][^\W\d_]+)*")


def uk_plural_form(count: int) -> int:
    """The form index of the .po header's rule: 0 after 1, 21, 31 …; 1 after 2–4, 22–24 …;
    2 after 0, 5–20, 25–30, 111 …"""
    count = abs(int(count))
    if count % 10 == 1 and count % 100 != 11:
        return 0
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return 1
    return 2


@lru_cache(maxsize=512)
def genitive_plural(plural_name: str) -> str:
    """The genitive plural of a nominative plural noun phrase: the adjectives before the head
    noun and the head noun agree; whatever follows the head («волонтерів», «у черзі») stays."""
    from core.text import _morph

    morph = _morph()
    out = []
    position = 0
    for match in _WORD.finditer(plural_name):
        word = match.group()
        parses = [p for p in morph.parse(word.lower()) if {"plur", "nomn"} <= p.tag.grammemes]
        parse = next((p for p in parses if p.tag.POS in ("NOUN", "ADJF", "PRTF")), None)
        if parse is None:
            break  # not a word that agrees with the count (Latin, a preposition …): stop here
        inflected = parse.inflect({"plur", "gent"})
        if inflected is None:
            break
        new = inflected.word
        if word[:1].isupper():
            new = new[:1].upper() + new[1:]
        out.append(plural_name[position : match.start()] + new)
        position = match.end()
        if parse.tag.POS == "NOUN":
            break
    return "".join(out) + plural_name[position:]


def noun_forms(opts) -> tuple[str, str, str]:
    """A model's name after 1, after 2 and after 5, in the active language."""
    language = (get_language() or "uk").split("-")[0]
    singular, plural = str(opts.verbose_name), str(opts.verbose_name_plural)
    if language != "uk":
        return singular, plural, plural
    explicit = getattr(opts.model, "count_forms_uk", None)
    if explicit:
        return tuple(str(form) for form in explicit)
    return singular, plural, genitive_plural(plural)


def counted_noun(count: int, opts) -> str:
    """The model's name as it reads after `count`: «запис», «записи» or «записів»."""
    forms = noun_forms(opts)
    language = (get_language() or "uk").split("-")[0]
    if language == "uk":
        return forms[uk_plural_form(count)]
    return forms[0] if abs(int(count)) == 1 else forms[1]


def count_phrase(count: int, opts) -> str:
    """«2045 бібліографічних записів», «21 анкета волонтера», «3 акти списання»."""
    return f"{count} {counted_noun(count, opts)}"
