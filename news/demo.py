"""Demo news: network and library items, announcements and press releases, all published."""

from datetime import timedelta

from django.utils import timezone

from branches.models import Branch
from news.models import NewsItem

# kind, title, lead, body; the library is the n-th public one (None: the whole network).
ITEMS = [
    (
        None,
        NewsItem.Kind.PRESS_RELEASE,
        "ЦБС відкриває цифрові зони в усіх бібліотеках",
        "До кінця року кожна бібліотека Луцька матиме зону з компʼютерами та Wi-Fi.",
        "Централізована система публічних бібліотек Луцька завершує облаштування цифрових "
        "зон.\n\nУ кожній зоні — компʼютери з доступом до інтернету, принтер і сканер. "
        "Працівники допоможуть скористатися державними онлайн-послугами.",
    ),
    (
        None,
        NewsItem.Kind.ANNOUNCEMENT,
        "Графік роботи бібліотек у святкові дні",
        "31 грудня бібліотеки працюють до 15:00, 1 січня — вихідний.",
        "Просимо читачів повернути книжки, термін яких спливає у святкові дні, заздалегідь "
        "або продовжити їх у «Моєму формулярі».",
    ),
    (
        0,
        NewsItem.Kind.NEWS,
        "Зустріч із волинськими поетами",
        "У читальній залі відбулася зустріч із поетами Волині.",
        "Гості читали нові вірші й відповідали на запитання читачів.\n\nДякуємо всім, хто "
        "прийшов, і запрошуємо на наступні зустрічі клубу «Поетична субота».",
    ),
    (
        1,
        NewsItem.Kind.NEWS,
        "Нові книжки для дітей",
        "До фонду надійшло понад сто нових дитячих книжок.",
        "Серед новинок — українські казки, енциклопедії та комікси. Книжки вже можна "
        "замовити в електронному каталозі.",
    ),
    (
        2,
        NewsItem.Kind.ANNOUNCEMENT,
        "Курси компʼютерної грамотності для старших людей",
        "Запрошуємо на безкоштовні заняття щовівторка о 10:00.",
        "Навчимо користуватися смартфоном, електронною поштою та застосунком «Дія». "
        "Записатися можна за телефоном бібліотеки.",
    ),
    (
        3,
        NewsItem.Kind.PRESS_RELEASE,
        "Бібліотека отримала грант на оновлення фонду",
        "Бібліотека стала переможцем конкурсу Українського культурного фонду.",
        "Кошти гранту підуть на придбання сучасної української літератури та облаштування "
        "простору для підлітків.",
    ),
]

# English versions of some items (title, lead, body); the others show the "not translated" notice.
ENGLISH = {
    "ЦБС відкриває цифрові зони в усіх бібліотеках": (
        "The library system opens digital zones in every library",
        "By the end of the year every library in Lutsk will have a zone with computers and Wi-Fi.",
        "The Lutsk public library system is finishing its digital zones.\n\nEach zone has "
        "computers with Internet access, a printer and a scanner. Librarians will help you use "
        "online state services.",
    ),
    "Графік роботи бібліотек у святкові дні": (
        "Library hours on the holidays",
        "On 31 December the libraries are open until 15:00; 1 January is a day off.",
        "Please return books due on the holidays in advance or renew them in “My library card”.",
    ),
    "Нові книжки для дітей": (
        "New books for children",
        "More than a hundred new children's books have arrived.",
        "Among them are Ukrainian fairy tales, encyclopaedias and comics. You can already "
        "reserve them in the online catalogue.",
    ),
}


def seed(*, rng, counts=None, stdout=None) -> int:
    """Demo data of the app, marked as demo; safe to run again. Returns how many rows were made."""
    if NewsItem.objects.filter(is_demo=True).exists():
        return 0
    branches = list(Branch.objects.public().order_by("pk"))
    now = timezone.now()
    made = []
    for n, (place, kind, title, lead, body) in enumerate(ITEMS):
        branch = None
        if place is not None:
            if not branches:
                continue
            branch = branches[place % len(branches)]
        english = {}
        if title in ENGLISH:
            english = dict(zip(("title_en", "lead_en", "body_en"), ENGLISH[title], strict=True))
        made.append(
            NewsItem(
                branch=branch,
                kind=kind,
                title=title,
                lead=lead,
                body=body,
                **english,
                status=NewsItem.Status.PUBLISHED,
                published_at=now - timedelta(days=3 * n + rng.randint(0, 2), hours=n),
                is_demo=True,
            )
        )
    NewsItem.objects.bulk_create(made)
    if stdout is not None:
        stdout.write(f"news: {len(made)} demo row(s) added.")
    return len(made)
