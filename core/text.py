"""Ukrainian text for search: apostrophes, words, lemmas, transliteration, keyboard layout.

PostgreSQL has no Ukrainian stemmer, so lemmas come from pymorphy3's Ukrainian dictionary and
are indexed with the `simple` configuration. Documents and queries go through the same
functions here, which is what makes «книжки Шевченка» meet «Шевченко, Тарас».
"""

import os
import re
from functools import lru_cache

import translitua

# Every apostrophe a Ukrainian might type: ASCII, right quote, modifier letter, backtick, prime.
APOSTROPHES = "'’ʼ`´‘ʹ′"
_APOSTROPHE_RE = re.compile(f"[{re.escape(APOSTROPHES)}]")
# Letters, digits and apostrophes between letters; hyphenated words stay one token.
_WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*", re.UNICODE)

# The Ukrainian ЙЦУКЕН layout on a US keyboard: what «Шевченко» gives when typed in Latin.
_LATIN_KEYS = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`" + 'QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>~'
_CYRILLIC_KEYS = "йцукенгшщзхїфівапролджєячсмитьбю'" + "ЙЦУКЕНГШЩЗХЇФІВАПРОЛДЖЄЯЧСМИТЬБЮ'"
_LAYOUT = str.maketrans(_LATIN_KEYS, _CYRILLIC_KEYS)


def fold_apostrophes(text: str) -> str:
    """All apostrophe variants → ’ (U+2019); lexemes drop it altogether (see `_lexeme`)."""
    return _APOSTROPHE_RE.sub("’", text)


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(fold_apostrophes(text or ""))]


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="uk")


@lru_cache(maxsize=200_000)
def lemmas_of(word: str) -> tuple[str, ...]:
    """The distinct dictionary forms of one lower-case word, most likely first.

    Numbers and Latin words are kept as they are. Lexemes lose apostrophes so that
    «комп’ютер», «комп'ютер» and «компʼютер» meet on one lexeme, and hyphenated words index
    their parts («україна-русь» → «україна», «русь»).
    """
    if not word or not any("а" <= ch <= "ї" or ch in "ґєії" for ch in word):
        return tuple(_lexeme(part) for part in word.split("-") if part) or ()
    found = []
    for part in [word, *word.split("-")] if "-" in word else [word]:
        # pymorphy3-dicts-uk spells apostrophes as ASCII «'»: with ’ every word that has one
        # («комп’ютера», «м’ячем») is unknown and only guessed at.
        for parse in _morph().parse(_dictionary_form(part))[:3]:
            for lexeme in _lexeme(parse.normal_form).split("-"):
                if lexeme and lexeme not in found:
                    found.append(lexeme)
    return tuple(found)


def _lexeme(text: str) -> str:
    return text.replace("’", "").replace("'", "")


def _dictionary_form(word: str) -> str:
    return word.replace("’", "'")


def is_known_word(word: str) -> bool:
    """Whether a lower-case word is in the Ukrainian dictionary (not merely guessed)."""
    return _morph().word_is_known(_dictionary_form(word))


def lemmas(text: str) -> list[str]:
    """All lexemes of a text, in order, for a document."""
    out = []
    for word in words(text):
        out.extend(lemmas_of(word))
    return out


def transliterate(text: str) -> str:
    """Latin transliteration by the national KMU 2010 table, lower case."""
    return translitua.translit(fold_apostrophes(text or "")).lower()


def latin_lexemes(text: str) -> list[str]:
    return [_lexeme(w) for w in words(transliterate(text))]


def has_latin(text: str) -> bool:
    return bool(re.search(r"[A-Za-z]", text or ""))


def has_cyrillic(text: str) -> bool:
    return bool(re.search(r"[А-Яа-яЇїІіЄєҐґ]", text or ""))


def from_latin_layout(text: str) -> str:
    """What a reader meant when typing Ukrainian with the Latin layout on: itdxtyrj → шевченко."""
    return text.translate(_LAYOUT)


def names_text(*parts: str) -> str:
    """Lower-case, apostrophe-folded text for trigram matching of titles and names."""
    return " ".join(_lexeme(" ".join(words(part))) for part in parts if part)


# --- Names ------------------------------------------------------------------------------------

# Letters readers swap in names (Коцюбінський, Шевчєнко, Украинка): one key for each group.
_NAME_FOLD = str.maketrans({"і": "и", "ї": "и", "є": "е", "ґ": "г", "ё": "е", "ы": "и", "э": "е"})

# How a Ukrainian surname changes from its catalogue (nominative) form: the ending a case form
# may end with → the endings its nominative may have. Франка/Франкові/Франком → Франко,
# Коцюбинського → Коцюбинський, Кобилянської → Кобилянська, Українки/Українці → Українка,
# Вовчка → Вовчок, Кравця → Кравець, Кравчука → Кравчук, Коваля → Коваль. Which of the
# candidates is meant is decided by the catalogue's own names (catalog.indexing), so the table
# may offer too much but must not miss a paradigm.
SURNAME_ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # adjectival: -ський/-цький/-ий, -ська/-цька
    ("ого", ("ий", "ій")),
    ("ому", ("ий", "ій")),
    ("им", ("ий",)),
    ("ім", ("ий", "ій")),
    ("ої", ("а",)),
    ("ій", ("а", "ий")),
    ("ою", ("а", "о")),
    ("ю", ("а", "я", "ь")),
    # -о (Франко, Шевченко) and consonant stems (Кравчук, Стефаник, Гончар)
    ("ові", ("о", "")),
    ("еві", ("ь", "")),
    ("єві", ("й",)),
    ("ом", ("о", "")),
    ("ем", ("ь", "")),
    ("єм", ("й",)),
    ("а", ("о", "")),
    ("я", ("ь", "й")),
    ("у", ("о", "", "а")),
    ("е", ("о", "")),
    # -а/-я nouns (Українка, Вишня): Українки, Українці, Українкою
    ("и", ("а",)),
    ("і", ("я", "а", "ь", "")),
    ("ці", ("ка",)),
    ("зі", ("га",)),
    ("сі", ("ха",)),
    # a vowel that drops out: Вовчок → Вовчка, Кравець → Кравця, Олесь → Олеся
    ("ка", ("ок",)),
    ("кові", ("ок",)),
    ("ком", ("ок",)),
    ("ку", ("ок",)),
    ("ця", ("ець",)),
    ("цеві", ("ець",)),
    ("цем", ("ець",)),
    ("цю", ("ець",)),
    ("ля", ("ель",)),
)


def fold_name(word: str) -> str:
    """A lower-case name with и/і/ї, е/є and г/ґ made one letter: the key typos meet on."""
    return _lexeme(word.lower()).translate(_NAME_FOLD)


@lru_cache(maxsize=50_000)
def surname_nominatives(word: str) -> tuple[str, ...]:
    """The catalogue forms a lower-case word may be a case form of, the word itself first.

    Only candidates: a caller keeps those the catalogue has as a surname."""
    found = [word]
    if len(word) >= 3 and has_cyrillic(word):
        for ending, nominatives in SURNAME_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 2:
                stem = word[: -len(ending)]
                found += [stem + nominative for nominative in nominatives]
    return tuple(dict.fromkeys(found))


_INITIALS_RE = re.compile(rf"^([{'А-ЯІЇЄҐA-Z'}][^\s,.]*[.]?\s*)+$")


def person_name_parts(name: str) -> tuple[list[str], str]:
    """(surname words, first initial) of a name as catalogues write it, lower case.

    «Франко, Іван Якович», «Франко, І. Я.» and «Франко І. Я.» → (["франко"], "і");
    «Квітка-Основʼяненко Г. Ф.» → (["квітка-основяненко"], "г"); a name with neither a comma
    nor initials («Іларіон (Огієнко І.; митрополит)») → its first word and no initial.
    """
    name = fold_apostrophes(name or "").strip()
    if "," in name:
        surname, _comma, rest = name.partition(",")
    else:
        head, _space, rest = name.partition(" ")
        surname, rest = (head, rest) if rest and _INITIALS_RE.match(rest) else (head, "")
    surnames = [_lexeme(w) for w in words(surname)]
    forenames = words(rest)
    return surnames, (forenames[0][0] if forenames else "")


def within_one_edit(a: str, b: str) -> bool:
    """Whether one letter left out, added, changed or two neighbours swapped turn a into b."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    start = 0
    while start < len(a) and a[start] == b[start]:
        start += 1
    if len(a) < len(b):
        return a[start:] == b[start + 1 :]
    swapped = start + 1 < len(a) and a[start] == b[start + 1] and a[start + 1] == b[start]
    return a[start + 1 :] == b[start + 1 :] or (swapped and a[start + 2 :] == b[start + 2 :])


@lru_cache(maxsize=50_000)
def may_be_first_name(word: str) -> bool:
    """Whether the dictionary reads a lower-case word as a first name, or as a noun naming a
    being (the dictionary does not tag every first name: «володимир», «богдан»)."""
    return any(
        "Name" in parse.tag or {"NOUN", "anim"} in parse.tag
        for parse in _morph().parse(_dictionary_form(word))
    )


@lru_cache(maxsize=50_000)
def is_patronymic(word: str) -> bool:
    """Whether the dictionary reads a lower-case word as a patronymic («григорович»)."""
    return any("Patr" in parse.tag for parse in _morph().parse(_dictionary_form(word)))


_ENDING_LETTERS = set("аеєиіїоуюяьй")


def word_beginnings(text: str, *, shortest: int = 3) -> list[tuple[str, ...]]:
    """For each word of a query, the beginnings that its forms share with its lemmas:
    «бібліотеках» → («бібліотек»,), «франка» → («франк»,).

    For short texts searched without an index (event titles, club names), where a substring
    test on these beginnings finds the word in any case form. A beginning shorter than
    `shortest` letters is replaced by the lemma itself, so «дні» does not find every «д…».
    """
    out = []
    for word in words(text):
        options = []
        for lemma in lemmas_of(word) or (word,):
            common = len(os.path.commonprefix([word, lemma]))
            beginning = word[:common] if common >= shortest else lemma
            # Endings change with the case («бібліотека», «бібліотеки»): keep the stem.
            while len(beginning) > shortest and beginning[-1] in _ENDING_LETTERS:
                beginning = beginning[:-1]
            if len(beginning) < shortest:
                beginning = word
            # Titles spell the apostrophe several ways: match the longer side of it.
            beginning = max(_APOSTROPHE_RE.split(beginning), key=len)
            if beginning and not any(beginning.startswith(o) for o in options):
                options = [o for o in options if not o.startswith(beginning)] + [beginning]
        if options:
            out.append(tuple(options))
    return out
