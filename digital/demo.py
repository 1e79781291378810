"""Demo digitised documents: old Lutsk postcards, a photograph, a letter and a newspaper page,
their images drawn with Pillow at seed time (no third-party files in the repository), stored
through digital.services like an upload."""

import io
from datetime import date
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from branches.models import Branch
from digital import services
from digital.images import SIZES
from digital.models import Collection, DigitalDocument, DigitalPage

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]
SEPIA = (112, 66, 20)
PAPER = (236, 222, 196)

COLLECTIONS = [
    (
        "Листівки старого Луцька",
        "Поштові листівки з видами міста кінця XIX — першої половини XX століття, подаровані "
        "читачами і зібрані краєзнавцями бібліотеки.",
    ),
    (
        "Родинні архіви лучан",
        "Фотографії, листи й документи, які родини Луцька передали бібліотеці для оцифрування.",
    ),
]

# collection index, kind, title, date text, years, place, people, description, pages
# (caption, text on the picture, transcription)
DOCUMENTS = [
    (
        0,
        DigitalDocument.Kind.POSTCARD,
        "Луцький замок. Вид з боку Стиру",
        "1910-ті",
        (1910, 1919),
        "Луцьк, Замок Любарта",
        "",
        "Листівка видавництва С. Ґутмана з видом на Верхній замок з боку річки Стир. На "
        "звороті — нерозбірливий підпис чорнилом і поштова марка.",
        [
            ("Верхній замок Луцька над Стиром, лицьовий бік листівки", "ЛУЦЬК. ЗАМОК", ""),
            (
                "Зворот листівки з написом чорнилом",
                "Поштова картка",
                "Дорогі мої! Вітаю вас зі святом. Луцьк дуже гарний навесні. Ваша Ганна.",
            ),
        ],
    ),
    (
        0,
        DigitalDocument.Kind.POSTCARD,
        "Вулиця Ягеллонська (тепер Лесі Українки)",
        "1930-ті",
        (1930, 1939),
        "Луцьк, вул. Лесі Українки",
        "",
        "Головна вулиця міжвоєнного Луцька з крамницями й кінним екіпажем. Тепер це "
        "пішохідна вулиця Лесі Українки.",
        [("Вулиця з крамницями і кінним екіпажем", "ЛУЦЬК. вул. Ягеллонська", "")],
    ),
    (
        1,
        DigitalDocument.Kind.PHOTOGRAPH,
        "Випускники гімназії біля Свято-Троїцького собору",
        "червень 1937",
        (1937, None),
        "Луцьк, Театральний майдан",
        "Випускники Луцької української гімназії з учителем Іваном Власовським",
        "Групове фото на сходах собору. Фото передала родина Ковальчуків у 2019 році.",
        [("Двадцять юнаків і дівчат на сходах собору", "Випуск 1937", "")],
    ),
    (
        1,
        DigitalDocument.Kind.LETTER,
        "Лист Степана Ковальчука до матері",
        "12 березня 1946",
        (1946, None),
        "Луцьк",
        "Степан Ковальчук",
        "Лист на двох аркушах про відбудову міста після війни.",
        [
            (
                "Перший аркуш листа",
                "Дорога мамо!",
                "Дорога мамо! Пишу Вам з Луцька. Місто потроху відбудовують, на Ринку вже "
                "працює пекарня.",
            ),
            (
                "Другий аркуш листа",
                "Ваш син Степан",
                "Цілую Вас і сестричок. Ваш син Степан.",
            ),
        ],
    ),
    (
        None,
        DigitalDocument.Kind.NEWSPAPER,
        "«Волинь», число 14 за 1941 рік, перша шпальта",
        "1941",
        (1941, None),
        "Луцьк",
        "",
        "Перша шпальта місцевої газети з оголошеннями й міською хронікою.",
        [("Перша шпальта газети «Волинь»", "ВОЛИНЬ", "")],
    ),
]


def _font(size):
    for folder in FONT_DIRS:
        path = folder / "DejaVuSerif.ttf"
        if path.exists():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default()


def _picture(text: str, *, rng, kind: str) -> bytes:
    """A sepia picture: a postcard's view of roofs and towers, a letter's lines, a newspaper's
    columns, with `text` written on it."""
    width, height = (1200, 800) if kind in ("postcard", "photograph") else (900, 1200)
    image = Image.new("RGB", (width, height), PAPER)
    draw = ImageDraw.Draw(image)
    if kind in ("postcard", "photograph"):
        horizon = int(height * 0.62)
        for x in range(0, width, 90):
            roof = horizon - rng.randint(60, 220)
            draw.rectangle([x, roof, x + rng.randint(60, 85), horizon], fill=SEPIA)
            if rng.random() < 0.3:
                draw.polygon([(x, roof), (x + 40, roof - 120), (x + 80, roof)], fill=SEPIA)
        draw.rectangle([0, horizon, width, height], fill=(150, 108, 62))
        image = image.filter(ImageFilter.GaussianBlur(1.5))
        draw = ImageDraw.Draw(image)
        draw.rectangle([20, 20, width - 20, height - 20], outline=SEPIA, width=6)
        draw.text((60, height - 120), text, font=_font(56), fill=(60, 30, 5))
    else:
        draw.text((70, 60), text, font=_font(60), fill=(40, 25, 10))
        columns = 3 if kind == "newspaper" else 1
        col_width = (width - 140) // columns
        for column in range(columns):
            for row in range(170, height - 80, 34):
                length = rng.randint(col_width // 2, col_width - 20)
                x = 70 + column * col_width
                draw.line([x, row, x + length, row], fill=(90, 70, 50), width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _reuse_files(page, stem) -> bool:
    """Point `page` at the files an earlier seed drew under `stem`, if all are there: a seed
    after a flush of the database (the browser tests) draws nothing again."""
    names = {"image": f"digital/full/{stem}.jpg"}
    names.update({key: f"digital/{key}/{stem}-{limit}.jpg" for key, limit in SIZES.items()})
    if not all(default_storage.exists(name) for name in names.values()):
        return False
    for field, name in names.items():
        setattr(page, field, name)
    with default_storage.open(names["image"]) as full, Image.open(full) as image:
        page.width, page.height = image.size
    page.save()
    return True


def seed(*, rng, counts=None, stdout=None) -> int:
    """Demo data of the app, marked as demo; safe to run again. Returns how many rows were made."""
    if DigitalDocument.objects.filter(is_demo=True).exists():
        return 0
    branch = Branch.objects.public().order_by("pk").first()
    if branch is None:
        return 0
    collections = [
        Collection.objects.create(title=title, description=text, branch=branch, is_demo=True)
        for title, text in COLLECTIONS
    ]
    made = len(collections)
    today = date.today()
    for n, (place_in, kind, title, when, years, place, people, text, pages) in enumerate(DOCUMENTS):
        document = DigitalDocument.objects.create(
            title=title,
            kind=kind,
            collection=collections[place_in] if place_in is not None else None,
            branch=branch,
            date_text=when,
            year_from=years[0],
            year_to=years[1],
            place=place,
            people=people,
            description=text,
            digitised_on=date(today.year - n % 3, 1 + n * 2, 10),
            is_published=True,
            is_demo=True,
        )
        made += 1
        for position, (caption, drawn, transcription) in enumerate(pages, start=1):
            page = DigitalPage(
                document=document, position=position, caption=caption, transcription=transcription
            )
            stem = f"demo-{n}-{position}"
            if not _reuse_files(page, stem):
                upload = SimpleUploadedFile(
                    f"{stem}.jpg",
                    _picture(drawn, rng=rng, kind=str(kind)),
                    content_type="image/jpeg",
                )
                services.digital_page_save(page=page, upload=upload)
            made += 1
    if stdout is not None:
        stdout.write(f"digital: {made} demo row(s) added.")
    return made
