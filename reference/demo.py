"""Demo reference service: readers' questions in every state (published ones searchable on
/ask/answers/), a year and a half of logged enquiries and feedback marks, and two open readers'
surveys (one of the network, one of a library) with answers. All rows carry
`is_demo`; mail goes to example.org. Running it again adds nothing once demo questions exist."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from branches.models import Branch
from reference.models import (
    ANSWER_WORKING_DAYS,
    Enquiry,
    Feedback,
    Question,
    Survey,
    SurveyAnswer,
    SurveyChoice,
    SurveyQuestion,
    SurveyResponse,
    Topic,
    add_working_days,
)

DEFAULT_ENQUIRIES = 400
QUESTIONS = [
    (
        Topic.LOCAL_LORE,
        "Де можна почитати про історію Старого міста в Луцьку?",
        "Радимо краєзнавчі видання з нашого фонду: «Луцьк: історичний нарис» і збірники "
        "«Минуле і сучасне Волині». Їх можна отримати в читальній залі центральної бібліотеки.",
    ),
    (
        Topic.E_SERVICES,
        "Як записатися на консультацію щодо Дії в бібліотеці?",
        "Оберіть зручний час на сторінці «Е-послуги»: консультант покаже, як користуватися "
        "застосунком, і допоможе подати заяву.",
    ),
    (
        Topic.REFERENCE,
        "Чи є у вас книги про догляд за кімнатними рослинами?",
        "Так, у фонді є кілька посібників; знайдіть їх у каталозі за словами «кімнатні рослини».",
    ),
    (
        Topic.LOCAL_LORE,
        "Які поети народилися на Волині?",
        "Серед них Леся Українка, Агатангел Кримський, Ніл Хасевич. У відділі краєзнавства є "
        "бібліографічний покажчик письменників Волині.",
    ),
]
ENQUIRY_TOPICS = [
    "Історія Луцького замку",
    "Підручники з англійської для 5 класу",
    "Адреса книгарні «Є»",
    "Твори Лесі Українки в перекладах",
    "Як оформити субсидію онлайн",
    "Література для реферату про екологію Волині",
    "Рік видання «Лісової пісні»",
]


def seed(*, rng, counts=None, stdout=None) -> int:
    """Demo data of the app, marked as demo; safe to run again. Returns how many rows were made."""
    branches = list(Branch.objects.public().order_by("pk"))
    if not branches:
        raise RuntimeError("No libraries: run the migrations before seed_demo.")
    if Question.objects.filter(is_demo=True).exists():
        # A demo seeded before surveys existed gets its surveys alone, once.
        made = 0
        if not Survey.objects.filter(is_demo=True).exists():
            with transaction.atomic():
                made = _seed_surveys(rng, branches, timezone.now())
        if stdout:
            stdout.write(
                f"reference: {made} demo survey rows added to the demo data already there"
                if made
                else "reference: demo data already there, none added"
            )
        return made
    target = int((counts or {}).get("reference", DEFAULT_ENQUIRIES))
    with transaction.atomic():
        made = _seed(rng, branches, target)
    if stdout:
        stdout.write(f"reference: {made} demo rows made")
    return made


def _seed(rng, branches, target):
    now = timezone.now()
    today = timezone.localdate()
    questions = []
    for index, (topic, text, answer) in enumerate(QUESTIONS * 3):
        asked = now - timedelta(days=rng.randint(3, 300), hours=rng.randint(0, 8))
        # The last few wait for an answer, one of them past its promised time.
        waiting = index >= len(QUESTIONS) * 3 - 3
        if waiting:
            asked = now - timedelta(days=index % 3 * 2)
        status = Question.Status.NEW if waiting else Question.Status.PUBLISHED
        questions.append(
            Question(
                topic=topic,
                branch=branches[index % len(branches)],
                name="Читач (демо)",
                email=f"reader{index}@example.org",
                text=text,
                language="uk",
                publish_consent=True,
                consent_at=asked,
                created_at=asked,
                due_at=add_working_days(timezone.localtime(asked), ANSWER_WORKING_DAYS),
                status=status,
                status_changed_at=asked,
                answer="" if waiting else answer,
                answered_at=None if waiting else asked + timedelta(days=1),
                is_demo=True,
            )
        )
    Question.objects.bulk_create(questions)
    enquiries = [
        Enquiry(
            kind=rng.choice(Enquiry.Kind.values),
            channel=rng.choice([*[Enquiry.Channel.IN_PERSON] * 3, Enquiry.Channel.PHONE]),
            topic=rng.choice(ENQUIRY_TOPICS),
            branch=rng.choice(branches),
            date=today - timedelta(days=rng.randint(0, 540)),
            is_demo=True,
        )
        for _ in range(target)
    ]
    Enquiry.objects.bulk_create(enquiries)
    feedback = [
        Feedback(
            kind=Feedback.Kind.VISIT,
            object_id=branch.pk,
            subject=branch.name,
            branch=branch,
            rating=rng.choice([5, 5, 5, 4, 4, 3]),
            comment="",
            created_at=now - timedelta(days=rng.randint(0, 300)),
            is_demo=True,
        )
        for branch in branches
        for _ in range(5)
    ]
    # Marks after e-services consultations (mailed to citizens who came), per library.
    feedback += [
        Feedback(
            kind=Feedback.Kind.CONSULTATION,
            object_id=branch.pk,
            subject=rng.choice(["Допомога з Дією", "Портал Пенсійного фонду"]),
            branch=branch,
            rating=rng.choice([5, 5, 4, 4, 3]),
            comment=rng.choice(["", "", "Допомогли подати заяву, дякую!", "Довго чекав(ла)."]),
            created_at=now - timedelta(days=rng.randint(0, 300)),
            is_demo=True,
        )
        for branch in branches[:4]
        for _ in range(3)
    ]
    Feedback.objects.bulk_create(feedback)
    surveys = _seed_surveys(rng, branches, now)
    return len(questions) + len(enquiries) + len(feedback) + surveys


# (title, title_en, intro, intro_en, questions: (kind, text, text_en, required, choices))
NETWORK_SURVEY = (
    "Якою має бути бібліотека вашої мрії?",
    "What should the library of your dreams be like?",
    "Три хвилини й кілька запитань: що вам потрібно від бібліотек Луцька.",
    "Three minutes and a few questions: what you need from the libraries of Lutsk.",
    [
        (
            "scale",
            "Наскільки вам зручно в бібліотеці?",
            "How comfortable are you in the library?",
            True,
            [],
        ),
        (
            "several",
            "Чого вам бракує?",
            "What do you miss?",
            True,
            [
                ("Нових книжок", "New books"),
                ("Тихого місця для роботи", "A quiet place to work"),
                ("Заходів увечері", "Evening events"),
                ("Швидкого інтернету", "Fast internet"),
            ],
        ),
        (
            "one",
            "Як часто ви приходите?",
            "How often do you come?",
            True,
            [("Щотижня", "Every week"), ("Щомісяця", "Every month"), ("Рідше", "Less often")],
        ),
        ("text", "Що б ви змінили?", "What would you change?", False, []),
    ],
)
LIBRARY_SURVEY = (
    "Розклад роботи бібліотеки",
    "The library's opening hours",
    "Чи зручно вам, коли ми відчинені?",
    "Do our opening hours suit you?",
    [
        (
            "scale",
            "Наскільки зручний нинішній розклад?",
            "How convenient are the current hours?",
            True,
            [],
        ),
        (
            "one",
            "Коли вам зручніше приходити?",
            "When would you rather come?",
            True,
            [
                ("Зранку", "In the morning"),
                ("Увечері", "In the evening"),
                ("У суботу", "On Saturday"),
            ],
        ),
    ],
)
DEMO_TEXTS = ["Більше настільних ігор", "Кавовий автомат", "Довше працювати в суботу", ""]


def _seed_surveys(rng, branches, now) -> int:
    made = 0
    for branch, (title, title_en, intro, intro_en, questions) in (
        (None, NETWORK_SURVEY),
        (branches[0], LIBRARY_SURVEY),
    ):
        survey = Survey.objects.create(
            title=title,
            title_en=title_en,
            intro=intro,
            intro_en=intro_en,
            branch=branch,
            status=Survey.Status.OPEN,
            opens_on=(now - timedelta(days=60)).date(),
            created_at=now - timedelta(days=61),
            is_demo=True,
        )
        asked = []
        for position, (kind, text, text_en, required, choices) in enumerate(questions, 1):
            question = SurveyQuestion.objects.create(
                survey=survey,
                position=position,
                kind=kind,
                text=text,
                text_en=text_en,
                required=required,
            )
            variants = [
                SurveyChoice.objects.create(
                    question=question, position=n, text=choice, text_en=choice_en
                )
                for n, (choice, choice_en) in enumerate(choices, 1)
            ]
            asked.append((question, variants))
        responses = SurveyResponse.objects.bulk_create(
            SurveyResponse(
                survey=survey,
                branch=branch or rng.choice([*branches[:4], None]),
                created_at=now - timedelta(days=rng.randint(0, 59), hours=rng.randint(0, 9)),
                is_demo=True,
            )
            for _ in range(rng.randint(12, 20))
        )
        answers = []
        for response in responses:
            for question, variants in asked:
                if question.kind == SurveyQuestion.Kind.SCALE:
                    answers.append(
                        SurveyAnswer(
                            response=response,
                            question=question,
                            scale=rng.choice([5, 5, 4, 4, 3, 2]),
                        )
                    )
                elif question.kind == SurveyQuestion.Kind.ONE:
                    answers.append(
                        SurveyAnswer(
                            response=response, question=question, choice=rng.choice(variants)
                        )
                    )
                elif question.kind == SurveyQuestion.Kind.SEVERAL:
                    answers += [
                        SurveyAnswer(response=response, question=question, choice=choice)
                        for choice in rng.sample(variants, rng.randint(1, 2))
                    ]
                elif text := rng.choice(DEMO_TEXTS):
                    answers.append(SurveyAnswer(response=response, question=question, text=text))
        SurveyAnswer.objects.bulk_create(answers)
        made += 1 + len(asked) + len(responses) + len(answers)
    return made
