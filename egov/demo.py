"""Demo data of the help desk: guides, slots, requests in every state and walk-ins 2016–2026.

The guides are short, real instructions (the official sites and steps as of 2026); the
requests, walk-ins, slots and bookings are invented and flagged `is_demo`, and demo slots say
so on the public pages. Running the seed again adds nothing already there.
"""

from datetime import date, time, timedelta

from django.utils import timezone

from branches.models import Branch
from egov.models import (
    Booking,
    Guide,
    GuideLink,
    HelpRequest,
    Slot,
    Topic,
    WalkIn,
)
from egov.services import guide_reindex, slots_publish

REVIEWED = date(2026, 11, 2)
WALK_IN_YEARS = range(2016, 2027)
WALK_INS_PER_BRANCH_YEAR = (20, 60)
SLOT_WEEKS = 3

# slug, topic, title, summary, steps, what to bring, links
GUIDES = [
    (
        "diia-sign-in",
        "diia",
        "Як увійти в Дію і отримати електронні документи",
        "Застосунок Дія показує цифровий паспорт, ID-картку, РНОКПП, водійське посвідчення та "
        "інші документи; через портал Дії подають заяви на держпослуги.",
        "Встановіть застосунок «Дія» з Google Play або App Store.\n"
        "Увійдіть через BankID свого банку або за допомогою ID-картки з NFC.\n"
        "Придумайте чотиризначний код доступу.\n"
        "Відкрийте розділ «Документи»: документи зʼявляться автоматично.\n"
        "Для послуг на порталі diia.gov.ua увійдіть через Дія.Підпис або BankID.",
        "Смартфон з Android 8 або iOS 15 і новіших\nПаспорт або ID-картка\n"
        "Доступ до інтернет-банкінгу (для BankID)",
        [("Портал Дія", "https://diia.gov.ua/")],
    ),
    (
        "diia-signature",
        "diia",
        "Дія.Підпис: електронний підпис у смартфоні",
        "Дія.Підпис — безкоштовний кваліфікований електронний підпис, яким можна підписувати "
        "заяви й документи онлайн.",
        "Відкрийте Дію й перейдіть до «Меню» → «Дія.Підпис».\n"
        "Натисніть «Створити підпис» і пройдіть перевірку обличчя.\n"
        "Придумайте два шестизначні коди й запамʼятайте їх.\n"
        "Підписуйте документи на сайтах, де є кнопка «Дія.Підпис».",
        "Смартфон з Дією\nДобре освітлення для фото обличчя",
        [("Портал Дія", "https://diia.gov.ua/")],
    ),
    (
        "pension-fund-portal",
        "pension-fund",
        "Вебпортал Пенсійного фонду: стаж, пенсія, довідки",
        "На вебпорталі ПФУ можна переглянути страховий стаж і зарплату, замовити довідку про "
        "пенсію або звернутися до фонду, не виходячи з дому.",
        "Відкрийте portal.pfu.gov.ua і натисніть «Увійти».\n"
        "Оберіть вхід через Дія.Підпис, BankID або файловий ключ.\n"
        "У розділі «Персональні дані» перегляньте стаж і заробітну плату.\n"
        "Замовте потрібну довідку в розділі «Довідки» — вона прийде в особистий кабінет.",
        "Паспорт або ID-картка\nРНОКПП (ідентифікаційний код)\nДоступ до BankID або Дія.Підпису",
        [("Вебпортал ПФУ", "https://portal.pfu.gov.ua/")],
    ),
    (
        "utilities-online",
        "utilities",
        "Як сплатити комунальні послуги онлайн",
        "Рахунки за газ, світло, воду й опалення можна сплатити карткою в застосунку банку, "
        "у Дії або на сайті постачальника без комісії в касі.",
        "Знайдіть у рахунку особовий рахунок і назву постачальника.\n"
        "У застосунку банку відкрийте «Платежі» → «Комунальні послуги».\n"
        "Знайдіть постачальника за назвою або адресою, введіть особовий рахунок.\n"
        "Перевірте суму, підтвердьте платіж і збережіть квитанцію.",
        "Платіжка або номер особового рахунку\nБанківська картка або застосунок банку",
        [("Газопостачання: Нафтогаз", "https://gas.ua/")],
    ),
    (
        "train-tickets",
        "tickets",
        "Квитки на потяг Укрзалізниці онлайн",
        "Квитки на потяги купують у застосунку або на сайті Укрзалізниці; друкувати не треба — "
        "достатньо QR-коду в телефоні.",
        "Відкрийте застосунок «Укрзалізниця» або сайт booking.uz.gov.ua.\n"
        "Вкажіть станції, дату й оберіть потяг і місце.\n"
        "Впишіть імʼя та прізвище пасажира як у документі.\n"
        "Оплатіть карткою; квиток із QR-кодом прийде в застосунок і на е-пошту.",
        "Банківська картка\nДокумент пасажира в дорогу",
        [("Укрзалізниця: квитки", "https://booking.uz.gov.ua/")],
    ),
    (
        "bus-tickets",
        "tickets",
        "Квитки на автобус з Луцька",
        "Квитки на міжміські й міжнародні автобуси продають онлайн сайти перевізників і "
        "автостанцій; посадка за електронним квитком.",
        "Оберіть сайт продажу квитків або перевізника.\n"
        "Вкажіть маршрут і дату, порівняйте рейси.\n"
        "Заповніть дані пасажира й оплатіть карткою.\n"
        "Збережіть квиток у телефоні або роздрукуйте в бібліотеці.",
        "Банківська картка\nПаспорт (для міжнародних рейсів — закордонний)",
        [("Бусфор", "https://busfor.ua/")],
    ),
    (
        "job-search-cv",
        "jobs",
        "Пошук роботи і резюме",
        "Вакансії Луцька й усієї країни зібрані на порталі Державної служби зайнятості та "
        "сайтах пошуку роботи; резюме складемо разом.",
        "Зареєструйтеся на сайті Державного центру зайнятості або на work.ua.\n"
        "Складіть резюме: контакти, досвід, освіта, навички — на одну сторінку.\n"
        "Налаштуйте підписку на нові вакансії за містом і професією.\n"
        "Відгукуйтеся на вакансії з коротким супровідним листом.",
        "Трудова книжка або перелік місць роботи\nДипломи й сертифікати\nЕ-пошта",
        [
            ("Державний центр зайнятості", "https://www.dcz.gov.ua/"),
            ("Work.ua", "https://www.work.ua/"),
        ],
    ),
    (
        "e-declaration-income",
        "e-declarations",
        "Декларація про майновий стан і доходи онлайн",
        "Податкову декларацію фізичної особи подають через Електронний кабінет платника "
        "податків — без візиту до податкової.",
        "Відкрийте cabinet.tax.gov.ua і увійдіть з Дія.Підписом або файловим ключем.\n"
        "Оберіть «Введення звітності» → «Декларація про майновий стан і доходи».\n"
        "Заповніть рядки з доходами й додайте потрібні додатки.\n"
        "Підпишіть і надішліть; квитанція зʼявиться в розділі «Вхідні».",
        "Документи про доходи (договори, виписки)\nЕлектронний підпис",
        [("Електронний кабінет платника", "https://cabinet.tax.gov.ua/")],
    ),
    (
        "land-cadastre-check",
        "land-cadastre",
        "Перевірити земельну ділянку в кадастрі",
        "Публічна кадастрова карта показує межі, площу, цільове призначення й форму власності "
        "ділянки за кадастровим номером.",
        "Відкрийте публічну кадастрову карту map.land.gov.ua.\n"
        "Введіть кадастровий номер у пошук або знайдіть ділянку на мапі.\n"
        "Натисніть на ділянку, щоб побачити площу й призначення.\n"
        "Витяг з Державного земельного кадастру замовте в Дії.",
        "Кадастровий номер ділянки (19 цифр)\nДержавний акт або витяг, якщо є",
        [
            ("Публічна кадастрова карта", "https://map.land.gov.ua/"),
            ("Держгеокадастр", "https://land.gov.ua/"),
        ],
    ),
    (
        "nmt-registration",
        "zno-nmt",
        "Реєстрація на НМТ",
        "Для вступу до університету складають національний мультипредметний тест; реєстрація "
        "онлайн у визначені УЦОЯО строки навесні.",
        "Підготуйте фото й скани документів.\n"
        "Заповніть реєстраційну форму на сайті Українського центру оцінювання якості освіти.\n"
        "Роздрукуйте й підпишіть заяву, надішліть пакет документів поштою.\n"
        "Увійдіть в інформаційну сторінку учасника, щоб дізнатися час і місце тесту.",
        "Паспорт або ID-картка\nРНОКПП\nФото 3×4\nДокумент про освіту або довідка зі школи",
        [("УЦОЯО", "https://testportal.gov.ua/")],
    ),
    (
        "social-assistance-online",
        "social-assistance",
        "Соціальна допомога й субсидія онлайн",
        "Заяви на субсидію, допомогу при народженні дитини, ВПО та інші виплати подають "
        "онлайн через Дію або Єдиний соціальний портал.",
        "Визначте виплату й перевірте умови на порталі Мінсоцполітики.\n"
        "Увійдіть у Дію або на Єдиний соціальний портал.\n"
        "Заповніть заяву й додайте документи.\n"
        "Стежте за станом розгляду в особистому кабінеті.",
        "Паспорт або ID-картка\nРНОКПП\nДані про доходи сімʼї\nРеквізити банківського рахунку",
        [
            ("Портал Мінсоцполітики", "https://www.msp.gov.ua/"),
            ("Послуги в Дії", "https://diia.gov.ua/services"),
        ],
    ),
]

DEMO_PEOPLE = ["Ганна К.", "Петро М.", "Ольга С.", "Іван Д.", "Марія Т.", "Василь Л."]


def seed(*, rng, counts=None, stdout=None) -> int:
    """Demo data of the app, marked as demo; safe to run again. Returns how many rows were made."""
    made = _guides()
    branches = list(Branch.objects.filter(services__slug="egov-point").order_by("pk"))
    if not branches:
        return made
    topics = list(Topic.objects.all())
    made += _slots(rng, branches)
    made += _requests(rng, branches, topics)
    made += _walk_ins(rng, branches, topics)
    if stdout is not None:
        stdout.write(f"egov: {made} demo row(s) added.")
    return made


# English versions of some guides (title, summary, steps, what to bring); the others show the
# "not translated" notice on the English site.
GUIDES_EN = {
    "diia-sign-in": (
        "How to sign in to Diia and get your e-documents",
        "The Diia app shows your digital passport, ID card, tax number, driving licence and other "
        "documents; the Diia portal takes applications for state services.",
        "Install the “Diia” app from Google Play or the App Store.\n"
        "Sign in with your bank's BankID or with an NFC ID card.\n"
        "Choose a four-digit access code.\n"
        "Open “Documents”: your documents appear automatically.\n"
        "For services on diia.gov.ua sign in with Diia.Signature or BankID.",
        "A smartphone with Android 8 or iOS 15 or newer\nYour passport or ID card\n"
        "Access to online banking (for BankID)",
    ),
    "diia-signature": (
        "Diia.Signature: an e-signature in your smartphone",
        "Diia.Signature is a free qualified electronic signature for signing applications and "
        "documents online.",
        "Open Diia and go to “Menu” → “Diia.Signature”.\n"
        "Tap “Create signature” and pass the face check.\n"
        "Choose two six-digit codes and remember them.\n"
        "Sign documents on sites that have a “Diia.Signature” button.",
        "A smartphone with Diia\nGood light for the face photo",
    ),
}


def _guides():
    made = 0
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    for slug, topic, title, summary, steps, bring, links in GUIDES:
        if Guide.objects.filter(slug=slug).exists():
            continue
        guide = Guide.objects.create(
            slug=slug,
            topic=topics[topic],
            title=title,
            summary=summary,
            steps=steps,
            what_to_bring=bring,
            last_reviewed=REVIEWED,
        )
        GuideLink.objects.bulk_create(
            GuideLink(guide=guide, title=name, url=url, position=n)
            for n, (name, url) in enumerate(links)
        )
        guide_reindex(guide=guide)
        made += 1
    for guide in Guide.objects.filter(slug__in=GUIDES_EN, title_en__isnull=True):
        english = GUIDES_EN[guide.slug]
        guide.title_en, guide.summary_en, guide.steps_en, guide.what_to_bring_en = english
        guide.save()
        guide_reindex(guide=guide)
    return made


def _slots(rng, branches):
    today = timezone.localdate()
    if Slot.objects.filter(is_demo=True, starts_at__date__gt=today).exists():
        return 0
    created = 0
    # Diia help on Tuesdays 10–13 and Thursdays 14–17; a partner lawyer on Wednesdays 15–17.
    # Published like a librarian would, so times the library is closed are skipped.
    plans = [
        (1, time(10), time(13), 30, Slot.Kind.DIIA, ""),
        (3, time(14), time(17), 30, Slot.Kind.GENERAL, ""),
        (2, time(15), time(17), 60, Slot.Kind.LEGAL, "Юрист-партнер (демо)"),
    ]
    for branch in branches:
        for weekday, start, end, minutes, kind, consultant in plans:
            result = slots_publish(
                branch=branch,
                kind=kind,
                weekday=weekday,
                start=start,
                end=end,
                minutes=minutes,
                first_day=today + timedelta(days=1),
                weeks=SLOT_WEEKS,
                consultant=consultant,
                is_demo=True,
            )
            created += len(result.created)
    slots = list(Slot.objects.filter(is_demo=True, bookings=None, starts_at__date__gt=today))
    bookings = [
        Booking(
            slot=slot,
            name=rng.choice(DEMO_PEOPLE),
            phone="+380500000000",
            is_demo=True,
        )
        for slot in rng.sample(slots, k=len(slots) // 4)
    ]
    Booking.objects.bulk_create(bookings)
    return created + len(bookings)


def _requests(rng, branches, topics):
    if HelpRequest.objects.filter(is_demo=True).exists():
        return 0
    now = timezone.now()
    requests = []
    flows = [
        ["new"],
        ["new", "scheduled"],
        ["new", "scheduled", "done"],
        ["new", "scheduled", "done"],
        ["new", "scheduled", "no_show"],
        ["new", "cancelled"],
        ["new", "done"],
    ]
    for number in range(40):
        flow = flows[number % len(flows)]
        created = now - timedelta(days=rng.randint(1 if len(flow) < 3 else 20, 300))
        status = flow[-1]
        requests.append(
            HelpRequest(
                topic=rng.choice(topics),
                branch=rng.choice(branches),
                name=rng.choice(DEMO_PEOPLE),
                contact="050 000 00 00",
                preferred_time=rng.choice(["", "у вівторок зранку", "після 15:00"]),
                description="Демонстраційний запит.",
                consent_at=created,
                created_at=created,
                status=status,
                scheduled_for=created + timedelta(days=3) if "scheduled" in flow else None,
                minutes_spent=rng.choice([15, 20, 30, 45]) if status == "done" else None,
                outcome="Допомогли (демо)." if status == "done" else "",
                closed_at=created + timedelta(days=4) if status in HelpRequest.CLOSED else None,
                is_demo=True,
            )
        )
    HelpRequest.objects.bulk_create(requests)
    return len(requests)


def _walk_ins(rng, branches, topics):
    if WalkIn.objects.filter(is_demo=True).exists():
        return 0
    today = timezone.localdate()
    rows = []
    for branch in branches:
        for year in WALK_IN_YEARS:
            # The help desk grew over the plan's years: fewer cases early on.
            growth = 0.4 + 0.06 * (year - WALK_IN_YEARS.start)
            for _case in range(int(rng.randint(*WALK_INS_PER_BRANCH_YEAR) * growth)):
                day = date(year, 1, 1) + timedelta(days=rng.randint(0, 364))
                if day > today:
                    continue
                rows.append(
                    WalkIn(
                        topic=rng.choice(topics),
                        branch=branch,
                        date=day,
                        minutes=rng.choice([5, 10, 15, 20, 30, 45]),
                        resolved=rng.random() < 0.85,
                        # Invented cases of past days: no moment they were typed in.
                        logged_at=None,
                        is_demo=True,
                    )
                )
    WalkIn.objects.bulk_create(rows)
    return len(rows)
