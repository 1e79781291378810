"""`manage.py clean_book_list`: the demo catalogue's book list, cleaned once and committed.

Reads the scraped list (`data/books/ukrainian_literature_1700-2024.csv`, kept unchanged) and
writes `data/books/ukrainian_literature_1700-2024.clean.csv`, which `catalog.demo` reads as it
is. Run it again only when the cleaning rules change, and commit the result; it takes a few
minutes (pymorphy3 looks up every word of every title).

The cleaning: titles from UPPER CASE to sentence case keeping proper names, volume designations
glued on by the scraper split off, Latin look-alike letters made Cyrillic; authors as «Прізвище
І. Б.»; years outside 1700…this year dropped; rows that are not titles and duplicates (same title
and author) left out; and from the raw title a guess at its subjects, language, whether it is
local lore and whether it is a periodical issue.
"""

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone
from tqdm import tqdm

from catalog.demo import BOOKS_DIR, BOOKS_FILE, CYRILLIC, SUBJECTS, UPPER, Book, surname_of
from core import text

SOURCE_FILE = BOOKS_DIR / "ukrainian_literature_1700-2024.csv"
YEAR_MIN = 1700
COLUMNS = ["title", "author", "year", "subjects", "language", "is_local_lore", "periodical"]


# ---------------------------------------------------------------------------------------------
# Cleaning the scraped rows
# ---------------------------------------------------------------------------------------------

APOSTROPHE = "ʼ"  # U+02BC, the Ukrainian apostrophe
_APOSTROPHES_RE = re.compile(f"[{re.escape(text.APOSTROPHES)}]")
_CYRILLIC = CYRILLIC
_UPPER = UPPER
_VOWELS = set("аеєиіїоуюяыэёaeiouy")
# Latin letters that look like Cyrillic ones, typed by mistake inside Cyrillic words.
_HOMOGLYPHS = str.maketrans("ABCEHIKMOPTXaceiopxy", "АВСЕНІКМОРТХасеіорху")
_LATIN_WITH_TWIN = set("ABCEHIKMOPTXaceiopxy")
# …and the other way: Cyrillic letters that look Latin, inside Latin words.
_TO_LATIN = str.maketrans("АВСЕНІКМОРТХУаеіорсху", "ABCEHIKMOPTXYaeiopcxy")
_CYRILLIC_WITH_TWIN = set("АВСЕНІКМОРТХУаеіорсху")
# Roman numerals: Cyrillic Х and І are typed for X and I; «СТ», «В» may be glued on.
_ROMAN_LATIN = str.maketrans("ХхІі", "XxIi")
_MIXED_ROMAN_RE = re.compile(r"^([IVXLCDMivxlcdm]+)(ст|СТ|вв|ВВ|в|В)?$")
# Left-to-right marks and other invisible format characters the scraper kept («х\u200eVІІ»).
_INVISIBLE_RE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")
_MIXED_WORD_RE = re.compile(r"[\wʼ'’]+")
_WORD_RE = re.compile(rf"[^\W\d_]+(?:[{re.escape(text.APOSTROPHES)}][^\W\d_]+)*")
_ROMAN_RE = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")

# A volume, part or issue glued to the title by the scraper: «ТВОРИТ. 3: ПОЕЗІЇ», «КІНО№ 12».
# Months (Ukrainian and Russian) and «Зошит» glued the same way: «ОСНОВАМарт».
_GLUED_WORDS = (
    "Січень Лютий Березень Квітень Травень Червень Липень Серпень Вересень Жовтень Листопад "
    "Грудень Январь Февраль Март Апрель Май Июнь Июль Август Сентябрь Октябрь Ноябрь Декабрь "
    "Зошит"
)
_PART_RE = re.compile(
    r"(?P<dot>\.?)\[?(?P<marker>Кн\.|Вип\.|Вып\.|Зб\.|Vol\.|Pt\.|Teil\.|Cz\.|cz\.|№"
    # «Т. 3», «Ч. ІІ»; glued to a word only with a number, so «ПОЧ. ХХ СТ.» stays whole
    r"|(?<![А-ЯІЇЄҐA-Z])[ТЧ]\.(?=\]?\s*(?:\d|[IVXІХ]+\b))|(?<=[А-ЯІЇЄҐ])[ТЧ]\.(?=\]?\s*\d)"
    r"|(?<=[А-ЯІЇЄҐ])(?:ВИП|КН|кн|вип)\.(?=\s*\d)"
    rf"|(?<=[А-ЯІЇЄҐ])(?:{_GLUED_WORDS.replace(' ', '|')})\b)\s*(?P<rest>.*)$"
)
_MARKERS = {
    "Вып.": "Вип.",
    "cz.": "Cz.",
    "ВИП.": "Вип.",
    "вип.": "Вип.",
    "КН.": "Кн.",
    "кн.": "Кн.",
}


def _word_set(words: str) -> frozenset:
    return frozenset(words.split())


# Abbreviations written in lower case after a number or in running text (1768 р., XX ст.).
ABBREVIATIONS = _word_set(
    "р рр ст вв ім вид кн вип зб ін обл див ред упоряд перекл пер іл худож с м н т ч св"
)
ACRONYMS = _word_set(
    "урср рср срср нан ан уан вуан унр зунр оун упа сша єс нтш зно цдаво цдіак цдіал цднта арк "
    "кпу кпрс цк нквд кдб мгб ооп оон юнеско нато внз змі ввп ізм пк зсу уапц угкц пцу уре "
    "усрр снд рсфср гулаг днр лнр фрн нддкр упср усдрп упсф кпзу"
)

# Proper nouns by dictionary form: every declined form is capitalised. A short list is enough
# for what the scraped titles talk about.
PROPER_LEMMAS = _word_set(
    "україна київ львів харків луцьк волинь полісся галичина поділля буковина закарпаття "
    "запоріжжя крим одеса полтава чернігів житомир рівне тернопіль ковель берестечко острог "
    "кременець почаїв дубно дніпро десна дунай карпати європа росія польща москва варшава "
    "америка канада холмщина підляшшя слобожанщина таврія кубань московія литва австрія "
    "угорщина німеччина франція італія англія туреччина греція візантія рим чорнобиль "
    "індія китай японія ізраїль білорусь молдова румунія словаччина чехія латвія естонія "
    "грузія вірменія кремль донбас полтавщина чернігівщина гуцульщина бойківщина лемківщина "
    "сіверщина наддніпрянщина херсонщина житомирщина донеччина луганщина харківщина одещина "
    "вінниччина черкащина тернопільщина рівненщина львівщина вкраїна "
    "сумщина київщина волинщина гетьманщина хмельниччина коліївщина берестя галич холм "
    "перемишль ужгород чернівці батурин чигирин глухів конотоп крути прага відень "
    "шевченко франко українка грушевський сковорода мазепа хмельницький котляревський "
    "коцюбинський стефаник кобилянська вовчок драгоманов костенко стус тичина рильський "
    "сосюра хвильовий довженко симоненко гончар бандера петлюра винниченко куліш лисенко "
    "вернадський пчілка сагайдачний орлик полуботок виговський скоропадський шептицький "
    "антонович старицький кропивницький федькович руданський глібов гребінка основ'яненко "
    "нечуй левицький мирний карпенко олесь чупринка зеров семенко бажан маланюк "
    "ольжич теліга самчук багряний барка гоголь пушкін міцкевич шекспір ґете гете байрон "
    "гейне данте гомер сервантес "
    "тарас іван михайло пантелеймон григорій ярослав богдан леся олена ольга данило "
    "олександр микола петро василь андрій юрій степан дмитро остап соломія ігор "
    "бог христос ісус богородиця "
    # writers a school reader looks for, and names the list's titles mention
    "тютюнник загребельний підмогильний яновський багряний стороженко костомаров микешин "
    "головацький тургенев тургенєв полонський енеїда єремія"
)
# «Русі» is left out: it is also «рух» («у визвольному русі»); «Київська Русь» is a phrase.
_PROPER_EXTRA = _word_set("івано франківськ франківська франківську франківському русь руси руссю")
# First names whose forms mark the next word as a surname («Тараса Шевченка»). Names that are
# also common words (Віра, Надія, Роман, Лев, Слава) are left out on purpose.
FIRST_NAMES = _word_set(
    "тарас іван михайло пантелеймон григорій ярослав богдан леся олена ольга данило олександр "
    "микола петро василь андрій юрій степан дмитро остап соломія ігор євген володимир марко "
    "павло семен федір яків кирило мефодій симон антон олекса олег святослав ярема мирон "
    "орест уляна марія катерина софія ганна наталя людмила оксана ірина галина максим "
    "віктор всеволод гнат борис гліб нестор пилип лука матвій захар ілля осип агатангел "
    "улас вячеслав валерій анатолій леонід костянтин опанас панас євгенія христина вікентій "
    "феофан іларіон ілларіон філарет петро агапіт мстислав ізяслав всеслав аркадій "
    "богдана маркіян климентій володимира дарія зиновій ростислав лариса ніна тамара "
    "григір "
    "алла валентина віталій геннадій георгій глеб еммануїл йосип лесь любомир назар "
    "омелян платон прокіп самійло сергій тимофій трохим устим харитон юліан"
)
# Male patronymics («Григоровича»); female ones («-івна») look like adjectives («мандрівна»)
# and are recognised only after a first name.
_PATRONYMIC_RE = re.compile(r"^\w{3,}(?:ович|евич)(?:а|у|ем|еві|і)?$")
# Latin-script proper names in the foreign-language titles.
_PROPER_LATIN = _word_set(
    "ukraine ukrainian ukrainians ukraina ukrainy ukrainisch ukrainische ukrainischen "
    "taras shevchenko galizien galicia galicyjskiego crimea crimean kinburn bukowina lodomerien "
    "rousseau lemberg polska polski polskich ukraińcy polacy kyiv kiev lviv europe skoropadsky "
    "batkivschyna barruel-beauvert ruthenischen lithuanica"
)
# Multi-word names whose adjectives are capitalised too (Київська Русь, Запорозька Січ).
PHRASES = [
    # Київська, Галицько-Волинська, Карпатська Русь (feminine, not «у визвольному русі»)
    (re.compile(r"\b[\w-]+ськ(?:а|ої|ій|у|ою) рус(?:ь|і|и|ю)\b", re.IGNORECASE), (True, True)),
    (re.compile(r"\bзапорозьк\w* січ\w*", re.IGNORECASE), (True, True)),
    (re.compile(r"\bкиєво-могилянськ\w*", re.IGNORECASE), (True,)),
    (re.compile(r"\bверховн\w* рад\w*", re.IGNORECASE), (True, True)),
    (re.compile(r"\bєвропейськ\w* союз\w*", re.IGNORECASE), (True, True)),
    (re.compile(r"\bбож\w* матер\w*", re.IGNORECASE), (True, True)),
    (re.compile(r"\bукраїнськ\w* РСР", re.IGNORECASE), (True, False)),
    (re.compile(r"\bукраїнськ\w* народн\w* республік\w*", re.IGNORECASE), (True, True, True)),
    (re.compile(r"\bзахідноукраїнськ\w* народн\w* республік\w*", re.IGNORECASE), (True,) * 3),
    (re.compile(r"\bукраїнськ\w* повстанськ\w* арм\w*", re.IGNORECASE), (True, True, True)),
    (re.compile(r"\bслов\w* о полку ігоревім", re.IGNORECASE), (True, False, False, True)),
]


def fold_apostrophes(value: str) -> str:
    return _APOSTROPHES_RE.sub(APOSTROPHE, value)


def fix_homoglyphs(value: str) -> str:
    """Words typed in two alphabets made one: Latin look-alikes inside Cyrillic words become
    Cyrillic («КPУТОЯPЧЕНКА»), Cyrillic look-alikes inside Latin words become Latin («LІТНUАNІСА»
    → «LITHUANICA»: a Latin L, U or N has no Cyrillic twin), and Roman numerals typed with
    Cyrillic Х and І are Latin («ХVІІ» → «XVII», «ХVІІІСТ» → «XVIII СТ»). A word that is
    neither is left as it is, and `has_mixed_word` tells the row to be left out."""
    value = _INVISIBLE_RE.sub("", value)

    def fix(match):
        word = match.group(0)
        if not (re.search(f"[{_CYRILLIC}]", word) and re.search("[A-Za-z]", word)):
            return word
        roman = _MIXED_ROMAN_RE.match(word.translate(_ROMAN_LATIN))
        if roman:
            numeral, suffix = roman.group(1).upper(), (roman.group(2) or "").translate(_HOMOGLYPHS)
            return f"{numeral} {suffix}" if suffix else numeral
        latin = {ch for ch in word if "A" <= ch <= "z" and ch.isalpha()}
        cyrillic = {ch for ch in word if re.match(f"[{_CYRILLIC}]", ch)}
        if latin - _LATIN_WITH_TWIN and cyrillic <= _CYRILLIC_WITH_TWIN:
            return word.translate(_TO_LATIN)
        if latin <= _LATIN_WITH_TWIN:
            return word.translate(_HOMOGLYPHS)
        return word

    return _MIXED_WORD_RE.sub(fix, value)


def has_mixed_word(value: str) -> bool:
    """Whether a word still mixes Latin and Cyrillic letters («Ukraina lітнuаnіса»)."""
    return any(
        re.search(f"[{_CYRILLIC}]", word) and re.search("[A-Za-z]", word)
        for word in _MIXED_WORD_RE.findall(value)
    )


def _capitalise(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


@lru_cache(maxsize=100_000)
def _parses(word: str) -> tuple[tuple[str, frozenset, bool], ...]:
    """(normal form, grammemes, from the dictionary) for each pymorphy3 reading of a word.

    pymorphy3's pure-Python dictionary takes about a millisecond a word, so the cleaning calls
    it only where a name is likely, never for every word of every title.
    """
    word = word.replace(APOSTROPHE, "’")
    return tuple(
        (
            p.normal_form.replace("’", APOSTROPHE),
            frozenset(p.tag.grammemes),
            type(p.methods_stack[0][0]).__name__ == "DictionaryAnalyzer",
        )
        for p in text._morph().parse(word)
    )


def _forms_of(lemmas) -> set[str]:
    """Every declined form of these nouns, from the dictionary."""
    forms = set()
    for lemma in lemmas:
        lemma = fold_apostrophes(lemma)
        forms.add(lemma)
        dictionary_form = lemma.replace(APOSTROPHE, "’")
        for parse in text._morph().parse(dictionary_form):
            if parse.normal_form == dictionary_form and "NOUN" in parse.tag:
                forms.update(f.word.replace("’", APOSTROPHE) for f in parse.lexeme)
    return forms


@lru_cache(maxsize=1)
def _proper_forms() -> frozenset:
    return frozenset(_forms_of(PROPER_LEMMAS) | _PROPER_EXTRA | _PROPER_LATIN)


@lru_cache(maxsize=1)
def _first_name_forms() -> frozenset:
    return frozenset(_forms_of(FIRST_NAMES))


_POSSESSIVE_RE = re.compile(
    r"^(\w{3,}?)(ів|ова|ове|ові|ови|ового|ової|овому|овій|овім|овим|ових|овими|ову|овою)$"
)


def _is_possessive_of_name(lower: str, proper: frozenset) -> bool:
    """«Шевченків», «Шевченкової», «Франкове»: made from a name, written with its capital."""
    match = _POSSESSIVE_RE.match(lower)
    return bool(match) and match.group(1) + "о" in proper


def _is_roman(word: str) -> bool:
    latin = word.upper().replace("Х", "X").replace("І", "I")
    return len(word) >= 2 and bool(_ROMAN_RE.match(latin)) and latin.isascii()


def _is_acronym(lower: str) -> bool:
    if lower in ACRONYMS:
        return True
    letters = [ch for ch in lower if ch.isalpha()]
    return len(letters) >= 2 and not _VOWELS.intersection(letters)


def _is_first_name(lower: str) -> bool:
    """A first name or a patronymic in any case («Тараса», «Григоровича»)."""
    return lower in _first_name_forms() or bool(_PATRONYMIC_RE.search(lower))


def _may_be_surname(lower: str) -> bool:
    """Unknown to the dictionary, a surname or a patronymic: after initials or a first name."""
    known = [p for p in _parses(lower) if p[2]]
    return not known or any({"Surn", "Patr"} & p[1] for p in known)


def _is_named_surname(lower: str, surnames: frozenset) -> bool:
    """A surname of one of the catalogue's authors that is not also a common word."""
    if not surnames or len(lower) < 4:
        return False
    stems = _stems(surnames)
    if not any(lower[:cut] in stems for cut in range(max(4, len(lower) - 3), len(lower) + 1)):
        return False  # a cheap test on the stem before asking the dictionary
    parses = _parses(lower)
    if not any(p[0] in surnames for p in parses) and lower not in surnames:
        return False
    return all({"Surn", "Name", "Patr"} & p[1] for p in parses if p[2])


@lru_cache(maxsize=4)
def _stems(surnames: frozenset) -> frozenset:
    """Surnames without their last one or two letters, where declension changes them."""
    return frozenset(
        stem for name in surnames for stem in (name, name[:-1], name[:-2]) if len(stem) >= 4
    )


_STOP_RE = re.compile(r"[.!?…]")
_GLUED_SERIES_RE = re.compile(r"\b(РСР|УРСР)(?=[А-ЯІЇЄҐ]{3})")
_NUMBER_LETTER_END_RE = re.compile(r"\d\s?(?:р|рр|ст|вв)$")
_NUMBER_END_RE = re.compile(r"\d[\s\-]*$")  # «1768 р.», «1940-х»
_LETTER_RE = re.compile(f"[{_CYRILLIC}A-Za-z]")


def sentence_case(value: str, *, surnames: frozenset = frozenset()) -> str:
    """UPPER CASE title → sentence case, keeping proper names, initials, acronyms and Roman
    numerals: «ІСТОРІЯ УКРАЇНИ-РУСИ» → «Історія України-Руси»."""
    proper = _proper_forms()
    out = []
    position = 0
    sentence_start = True
    after_initial = False
    pending_names = 0  # words still to capitalise after «імені»
    in_name = False  # the previous word was part of a person's name
    after_century = False  # the previous word was a Roman numeral («XVI в.», «XV-XVI вв.»)
    for match in _WORD_RE.finditer(value):
        gap = value[position : match.start()]
        word = match.group(0)
        following = value[match.end() : match.end() + 1]
        position = match.end()
        if _STOP_RE.search(gap) and not after_initial and not _ends_abbreviation(out):
            sentence_start = True
        elif not out and any(ch.isdigit() for ch in gap):
            sentence_start = False  # «50 рідкісних рослин»
        out.append(gap)
        number_before = bool(_NUMBER_END_RE.search(gap))
        lower = fold_apostrophes(word.lower())
        is_initial = len(word) == 1 and following == "."
        first_name = _is_first_name(lower)
        cased = _case_word(
            word,
            lower,
            following=following,
            proper=proper,
            surnames=surnames,
            capital=sentence_start or gap.endswith(("«", '"', "„", "“")),
            number_before=number_before,
            name_context=after_initial or pending_names > 0 or in_name,
            in_brackets=gap.endswith("(") and following == ")",
            letter_range=len(word) == 1
            and (
                gap.endswith(("-", "–", "– ", "- "))
                or value[match.end() :].startswith(("-", "–", " –", " -"))
            ),
        )
        if after_century and lower == "в" and following == ".":
            cased = "в"  # «XVI в.», «XV–XVI в. в.»: the century, not an initial
        out.append(cased)
        after_century = (_is_roman(word) and word.isupper()) or (after_century and lower == "в")
        if lower == "імені" or (lower == "ім" and following == "."):
            pending_names = 2
        elif is_initial and pending_names:
            pending_names = 1
        elif pending_names:
            pending_names -= 1
        in_name = first_name or (
            in_name and cased[:1].isupper() and _may_be_surname(lower) and not is_initial
        )
        after_initial = is_initial and not number_before
        sentence_start = False
    out.append(value[position:])
    result = "".join(out)
    for pattern, flags in PHRASES:
        result = pattern.sub(lambda m, flags=flags: _phrase_case(m.group(0), flags), result)
    return result


def _phrase_case(phrase: str, flags) -> str:
    words = phrase.split(" ")
    return " ".join(
        "-".join(_capitalise(part) for part in word.split("-")) if flag else word
        for word, flag in zip(words, flags, strict=False)
    ) + (" " + " ".join(words[len(flags) :]) if len(words) > len(flags) else "")


def _ends_abbreviation(out: list[str]) -> bool:
    """The word before this gap is an abbreviation such as «ст.», not the end of a sentence."""
    for piece in reversed(out):
        if piece.strip():
            return fold_apostrophes(piece.lower()) in ABBREVIATIONS
    return False


def _case_word(
    word,
    lower,
    *,
    following,
    proper,
    surnames,
    capital,
    number_before,
    name_context,
    in_brackets,
    letter_range,
):
    if not _LETTER_RE.search(word):
        return word
    if len(word) == 1:
        if number_before:
            return word.lower()  # 1700 р.
        if following == "." or in_brackets or letter_range:
            return word.upper()  # an initial, ОУН(Б), «А–К»
        return word.upper() if capital else word.lower()
    if lower in ABBREVIATIONS and (following == "." or not _VOWELS.intersection(lower)):
        return _capitalise(word) if capital else lower
    if _is_roman(word) and word.isupper():
        return word.upper()
    if _is_acronym(lower):
        return word.upper()
    name = (
        lower in proper
        or _is_possessive_of_name(lower, proper)
        or (name_context and _may_be_surname(lower))
        or _is_first_name(lower)
        or _is_named_surname(lower, surnames)
    )
    if capital or name:
        return fold_apostrophes(_capitalise(word))
    return fold_apostrophes(word.lower())


def split_part(title: str) -> tuple[str, str, str]:
    """«ТВОРИТ. 3: ПОЕЗІЇ» → («ТВОРИ», «Т.», «3: ПОЕЗІЇ»); without a part → (title, "", "")."""
    match = _PART_RE.search(title)
    if not match or match.start() == 0:
        return title, "", ""
    marker = _MARKERS.get(match.group("marker"), match.group("marker"))
    rest = match.group("rest").strip().strip("[]").strip()
    if not marker.endswith(".") and marker != "№":  # «ОСНОВАМарт» → «Основа. Март»
        marker, rest = "", f"{marker} {rest}".strip()
        return title[: match.start()].rstrip() + match.group("dot"), "", rest
    return title[: match.start()].rstrip() + match.group("dot"), marker, rest


def _typography(value: str) -> str:
    value = re.sub(r"\s+", " ", value).strip()
    value = re.sub(r"\s+-\s+|\s+–\s+", " – ", value)
    # Straight double quotes → «ялинки», opening and closing in turn.
    parts = value.split('"')
    if len(parts) > 1 and len(parts) % 2 == 1:
        value = "".join(
            part + ("«" if index % 2 == 0 else "»") if index < len(parts) - 1 else part
            for index, part in enumerate(parts)
        )
    return value


def clean_title(raw: str, *, surnames: frozenset = frozenset()) -> str:
    """The scraped UPPER CASE title as a catalogue shows it."""
    raw = _typography(fix_homoglyphs(raw.replace("\xa0", " ")))
    if raw.endswith("..") and not raw.endswith("..."):
        raw = raw.rstrip(".") + "…"  # the scraper's two dots of an ellipsis
    raw = _GLUED_SERIES_RE.sub(r"\1. ", raw)  # «…УКРАЇНСЬКОЇ РСРЧЕРНІВЕЦЬКА ОБЛАСТЬ»
    main, marker, rest = split_part(raw)
    title = _first_upper(sentence_case(main, surnames=surnames)).rstrip(" ,;:/")
    if title.endswith(".") and not _last_is_abbreviation(title):
        title = title[:-1]
    if marker:
        designation, colon, part_title = rest.partition(":")
        piece = f"{marker} {designation.strip()}".strip()
        if colon and part_title.strip():
            piece += ": " + _first_upper(sentence_case(part_title.strip(), surnames=surnames))
        title = f"{title}{'' if title.endswith('.') else '.'} {piece}"
    elif rest:
        title = f"{title}{'' if title.endswith('.') else '.'} {rest}"
    if _NUMBER_LETTER_END_RE.search(title):
        title += "."  # «до 1700 р» → «до 1700 р.»
    return re.sub(r"\b([IVXLC]+) в\. в\.", r"\1 вв.", _balanced(title))


def _first_upper(value: str) -> str:
    """Capitalise the first letter unless the title starts with a number («50 рідкісних…»)."""
    for index, ch in enumerate(value):
        if ch.isdigit():
            return value
        if ch.isalpha():
            return value[:index] + ch.upper() + value[index + 1 :]
    return value


def _last_is_abbreviation(title: str) -> bool:
    words = _WORD_RE.findall(title)
    return bool(words) and (len(words[-1]) <= 2 or words[-1].lower() in ABBREVIATIONS)


_FULL_NAME_RE = re.compile(
    rf"^(?P<surname>[{_UPPER}][{_CYRILLIC}ʼ'’\-]+) (?P<first>[{_UPPER}][а-яіїєґʼ'’]+)"
    rf"(?: (?P<patronymic>[{_UPPER}][а-яіїєґ]+(?:ович|йович|евич|івна|ївна|овна)))?$"
)
_SHORT_NAME_RE = re.compile(rf"^(?P<surname>\S+) (?P<first>[{_UPPER}][а-яіїєґ]{{1,3}})\.$")


def clean_author(raw: str) -> str:
    """«Кордт\xa0В.О.» → «Кордт В. О.»; «Шевченко Тарас Григорович» → «Шевченко Т. Г.»."""
    name = fix_homoglyphs(raw.replace("\xa0", " "))
    name = re.sub(r"\s*\[та ін\.?\]", "", name)
    outside = re.sub(r"\[[^\]]*\]?", " ", name)
    if re.search(r"[^\W\d_]{3,}", outside):
        # «Ратай П. [П. О. Куліш]»: a bracketed real name next to a pseudonym is dropped.
        name = re.sub(r"\[[^\]]*[^\W\d_]{3,}[^\]]*\]?", " ", name)
    name = name.replace("[", " ").replace("]", " ")
    name = re.sub(r"\s+", " ", name).strip()
    name = re.sub(r"\s+([;,)])", r"\1", name)
    name = re.sub(r"\(\s+", "(", name)
    name = re.sub(r"[-–]\s*\)", "-)", name)
    name = re.sub(rf"(?<![{_CYRILLIC}A-Za-z])([{_UPPER}])\.(?=[{_UPPER}])", r"\1. ", name)
    name = re.sub(r"(?<=\s)([а-яіїєґ])\.(?=\s|$)", lambda m: m.group(1).upper() + ".", name)
    name = re.sub(rf"(?<=\s)([{_UPPER}])$", r"\1.", name)
    if re.search(rf"[{_CYRILLIC}A-Za-z]{{2}}\.$", name) and " " not in name:
        name = name[:-1]  # «Геродот.»
    match = _FULL_NAME_RE.match(name)
    if match and _is_first_name(fold_apostrophes(match.group("first").lower())):
        initials = f"{match.group('first')[0]}."
        if match.group("patronymic"):
            initials += f" {match.group('patronymic')[0]}."
        name = f"{match.group('surname')} {initials}"
    match = _SHORT_NAME_RE.match(name)
    if match and not match.group("surname").endswith("."):
        name = f"{match.group('surname')} {match.group('first')[0]}."  # «Різниченко Вас.»
    return fold_apostrophes(name)


def clean_year(raw: str, *, this_year: int) -> int | None:
    """«1700.0» → 1700; empty, unreadable or impossible years (before 1700, future) → None."""
    try:
        year = int(float(raw))
    except (TypeError, ValueError):
        return None
    return year if YEAR_MIN <= year <= this_year else None


# The first book printed in modern vernacular Ukrainian is Котляревський's «Енеїда» (1798): a
# Ukrainian title dated earlier is a modern book the scraper found by a year in its title or
# subject («Присяга миргородського полку 1718 року»).
UKRAINIAN_PRINT_FROM = 1798
# Life years of the classics the list holds most of. A book by one of them dated before they
# could write («Шевченко Т. Г. — Вибрані поезії, 1720»), or a collected edition dated while
# they were still writing it («Франко І. Я. — Зібрання творів. Т. 52, 1861»), has the
# scraper's year, not the edition's.
LIFE_YEARS = {
    "Котляревський І.": (1769, 1838),
    "Квітка-Основʼяненко Г.": (1778, 1843),
    "Шевченко Т.": (1814, 1861),
    "Куліш П.": (1819, 1897),
    "Вовчок М.": (1833, 1907),
    "Нечуй-Левицький І.": (1838, 1918),
    "Мирний П.": (1849, 1920),
    "Франко І.": (1856, 1916),
    "Кобилянська О.": (1863, 1942),
    "Коцюбинський М.": (1864, 1913),
    "Грушевський М.": (1866, 1934),
    "Українка Л.": (1871, 1913),
    "Стефаник В.": (1871, 1936),
    "Винниченко В.": (1880, 1951),
    "Тичина П.": (1891, 1967),
    "Хвильовий М.": (1893, 1933),
    "Довженко О.": (1894, 1956),
    "Рильський М.": (1895, 1964),
    "Гончар О.": (1918, 1995),
    "Загребельний П.": (1924, 2009),
    "Костенко Л.": (1930, None),
    "Тютюнник Г.": (1931, 1980),
    "Стус В.": (1938, 1985),
}
# Nobody publishes a book before this age.
YOUNGEST_AUTHOR = 14
_COLLECTED_RE = re.compile(
    r"зібрання творів|повне видання|повна збірка|зібр\. тв|твори в \w+ томах|твори у \w+ томах",
    re.IGNORECASE,
)
_TITLE_YEAR_RE = re.compile(r"(?<!\d)(1[0-9]{3}|20[0-2][0-9])(?!\d)")


def plausible_year(year: int | None, *, title: str, author: str, language: str) -> int | None:
    """The year, or None where it cannot be the edition's (the record then has no year).

    The scraped list's year is the one its catalogue was searched by, which is often a year
    the book is about. Left out: a Ukrainian book before 1798; a year earlier than a year the
    title names («Марко Лукич Кропивницький (1840-1940)», dated 1840); a classic's book dated
    before they were 14, or their collected works or a book naming them («Романтична доба
    творчости Тараса Шевченка», 1842) dated in their lifetime."""
    if year is None:
        return None
    if language == "ukr" and year < UKRAINIAN_PRINT_FROM:
        return None
    if any(int(named) > year for named in _TITLE_YEAR_RE.findall(title)):
        return None
    for name, (born, died) in LIFE_YEARS.items():
        if author.startswith(name):
            if year < born + YOUNGEST_AUTHOR:
                return None
            if died and year <= died and _COLLECTED_RE.search(title):
                return None
            stem = fold_apostrophes(name.split()[0].lower())[:-1]
            if died and year <= died and re.search(rf"\b{stem}", title.lower()):
                return None  # «…доба творчости Тараса Шевченка», dated 1842: about the author
    return year


# The end of a title the scraper cut off: a preposition, conjunction or pronoun that needs a
# word after it («…передруковане в столітню річницю його»).
_DANGLING = _word_set(
    # not «і», «й», «а»: «Заповіт Петра І» (a Roman one), «Т. 1: А – Й» (letters of a volume)
    "в у з зі із на до по від за про для як чи або та що їх його її при над під через "
    "між and the of w z der und"
)


def is_truncated(title: str) -> bool:
    """Whether the title stops where a word must follow («…річницю його», «…перекладі з:»)."""
    words = _WORD_RE.findall(title)
    if not words:
        return False
    if re.search(r"[-–:,;/]\s*$", title):
        return True
    ending = re.search(r"(\S*)\s+(\S+?)[.)»\s]*$", title)
    if not ending or ending.group(2).lower() not in _DANGLING or len(words) <= 2:
        return False  # the title ends in a number, a bracket, a full word
    before = ending.group(1)
    if len(ending.group(2)) == 1 and (
        before.endswith((":", "-", "–", ",")) or _is_roman(re.split("[-–]", before)[-1])
    ):
        return False  # a volume's letters («Т. 3: З», «Літери А, Б, В») or «XVI в.»
    return not title.rstrip().endswith(".")


def _balanced(title: str) -> str:
    """Brackets the scraper left alone closed or removed: «Т. 1]: …», «(1941 р.))»."""
    for opening, closing in ("[]", "()", "«»"):
        depth, out = 0, []
        for ch in title:
            if ch == opening:
                depth += 1
            elif ch == closing:
                if not depth:
                    continue  # a closing bracket with nothing open
                depth -= 1
            out.append(ch)
        title = "".join(out)
        if depth:
            if opening == "[":
                title = title.replace("[", "", depth) if depth else title
            else:
                title = title.rstrip() + closing * depth
    return title


def _dedupe_key(title: str, author: str) -> tuple[str, str]:
    """The same title and author whatever the case, punctuation or volume notation."""

    def norm(value):
        return " ".join(re.findall(r"[^\W_]+", fold_apostrophes(value).casefold()))

    main, marker, rest = split_part(title)
    return norm(f"{main} {marker} {rest}"), norm(author)


_SUBJECT_RES = {name: re.compile(spec[2]) for name, spec in SUBJECTS.items()}
_LOCAL_LORE_RE = _SUBJECT_RES["Краєзнавство Волині"]


def _language(raw_title: str) -> str:
    if re.search("[ЫЭЁ]", raw_title):
        return "rus"
    if re.search(f"[{_CYRILLIC}]", raw_title):
        return "ukr"
    upper = f" {raw_title.upper()} "
    if re.search("[ĄĘŁŃŚŹŻ]", upper) or " POLSK" in upper or " W " in upper:
        return "pol"
    if re.search("[ÄÖÜß]", upper) or re.search(r" (DER|DIE|DAS|UND) ", upper):
        return "ger"
    if re.search(r" (DE|LA|LE|ET|DU) ", upper) or "É" in upper:
        return "fre"
    if "ITALIANO" in upper:
        return "ita"
    return "eng"


def _subjects(raw_title: str, author: str) -> tuple[str, ...]:
    lower = fold_apostrophes(raw_title.lower())
    found = [name for name, regex in _SUBJECT_RES.items() if regex.search(lower)]
    if "Поезія" in found and "Українська література" in found:
        found.remove("Українська література")
    if not found:
        found = ["Українська література" if author else "Історія України"]
    return tuple(found[:3])


@dataclass(frozen=True, slots=True)
class _Row:
    raw_title: str
    author: str
    year: int | None


def _source_rows(path: str, this_year: int) -> tuple[tuple[_Row, ...], frozenset]:
    """The CSV's rows with clean authors and years, duplicates (same title and author) and
    non-titles («2», «17?. – 13») left out; and the authors' surnames for title casing.
    Titles are cased later, only for the rows a seed uses (pymorphy3 is slow)."""
    with open(path, encoding="utf-8", newline="") as handle:
        raw_rows = list(csv.DictReader(handle))
    rows, seen, surnames = [], set(), set()
    for raw in raw_rows:
        title = fix_homoglyphs(raw["title"].replace("\xa0", " ")).strip()
        if not re.search(r"[^\W\d_]{3,}", title):
            continue
        if has_mixed_word(title) or is_truncated(title):
            continue  # «Ukraina lітнuаnіса» that no rule puts right; a title cut off
        author = clean_author(raw["author"])[:250] if raw["author"].strip() else ""
        key = _dedupe_key(title, author)
        if key in seen:
            continue
        seen.add(key)
        if surname_of(author):
            surnames.add(fold_apostrophes(surname_of(author).lower()))
        rows.append(_Row(title, author, clean_year(raw["year_published"], this_year=this_year)))
    return tuple(rows), frozenset(surnames)


def _book(row: _Row, surnames: frozenset) -> Book:
    _, marker, _ = split_part(row.raw_title)
    title = clean_title(row.raw_title, surnames=surnames)[:500]
    language = _language(row.raw_title)
    return Book(
        title=title,
        author=row.author,
        year=plausible_year(row.year, title=title, author=row.author, language=language),
        subjects=_subjects(row.raw_title, row.author),
        language=language,
        is_local_lore=bool(_LOCAL_LORE_RE.search(fold_apostrophes(row.raw_title.lower()))),
        periodical=marker == "№",
    )


def clean_books(path: Path = SOURCE_FILE, *, this_year: int, progress=None) -> list[Book]:
    """The whole scraped list cleaned: cased titles and names, checked years, no duplicates."""
    rows, surnames = _source_rows(str(path), this_year)
    return [_book(row, surnames) for row in tqdm(rows, disable=progress is None, file=progress)]


def write_books(books: list[Book], handle) -> None:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(COLUMNS)
    for book in books:
        writer.writerow(
            [
                book.title,
                book.author,
                book.year or "",
                "|".join(book.subjects),
                book.language,
                int(book.is_local_lore),
                int(book.periodical),
            ]
        )


class Command(BaseCommand):
    help = (
        "Clean the scraped book list (titles cased, authors as «Прізвище І. Б.», years checked, "
        "duplicates removed) into the file the demo catalogue reads. Run once; commit the file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", type=Path, default=SOURCE_FILE, help="scraped CSV")
        parser.add_argument("--output", type=Path, default=BOOKS_FILE, help="cleaned CSV")
        parser.add_argument("--dry-run", action="store_true", help="clean and count, write nothing")

    def handle(self, *args, source, output, dry_run, verbosity, **options):
        progress = self.stderr._out if verbosity >= 1 else None
        books = clean_books(source, this_year=timezone.localdate().year, progress=progress)
        if not dry_run:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                write_books(books, handle)
        where = "nothing written (dry run)" if dry_run else f"written to {output}"
        self.stdout.write(f"{len(books)} books cleaned from {source.name}; {where}.")
