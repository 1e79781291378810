"""Events at a time their library is closed (day off, after hours, a holiday): staff must say
why they go ahead, the admin flags them, readers see a note, and nobody signs up for a locked
door by accident. The demo season keeps to opening hours and to the seasons."""

import random
from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from branches import demo as branches_demo
from branches.models import Branch, Closure
from events import demo
from events.models import Event
from events.services import RegistrationError, event_create, registration_create
from tests.events.factories import EventFactory
from tests.events.test_admin import EVENTS

pytestmark = pytest.mark.django_db


def _monday_in_a_fortnight():
    day = timezone.localdate() + timedelta(days=14)
    return day - timedelta(days=day.weekday())


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


# (what, days after Monday, start, end as (days after start day, hour, minute), online, reason)
CASES = [
    ("afternoon workshop", 0, (15, 0), (0, 17, 0), False, ""),
    ("ends right at closing", 0, (16, 0), (0, 18, 0), False, ""),
    ("runs past closing", 0, (17, 0), (0, 19, 0), False, "поза годинами роботи бібліотеки"),
    ("evening", 0, (19, 0), (0, 20, 0), False, "поза годинами роботи бібліотеки"),
    ("into the lunch break", 0, (12, 30), (0, 13, 30), False, "поза годинами роботи бібліотеки"),
    ("after the lunch break", 0, (14, 0), (0, 15, 0), False, ""),
    ("on Saturday", 5, (11, 0), (0, 12, 0), False, "вихідний день бібліотеки"),
    ("online on Saturday", 5, (11, 0), (0, 12, 0), True, ""),
    ("a fortnight's exhibition", 0, (10, 0), (14, 18, 0), False, ""),
]


@pytest.mark.parametrize(
    ("what", "offset", "start", "end", "online", "reason"), CASES, ids=[c[0] for c in CASES]
)
def test_the_library_is_closed_for_an_event_exactly_when_its_hours_say_so_in_python_and_sql(
    network, what, offset, start, end, online, reason
):
    day = _monday_in_a_fortnight() + timedelta(days=offset)
    event = EventFactory.build(
        branch=network["a"],
        starts_at=_at(day, *start),
        ends_at=_at(day + timedelta(days=end[0]), end[1], end[2]),
        is_online=online,
        online_url="https://meet.example.org/x" if online else "",
        closed_day_reason="пояснення" if reason else "",
    )
    event.save()

    assert event.library_closed() == reason
    annotated = Event.objects.with_library_closed().get(pk=event.pk)
    assert annotated.in_closed_library is bool(reason)


def test_a_network_holiday_closes_every_library_and_a_library_without_hours_only_then(network):
    monday = _monday_in_a_fortnight()
    saturday = monday + timedelta(days=5)
    no_hours = Branch.objects.get(slug="central")
    Closure.objects.create(
        branch=None,
        kind=Closure.Kind.HOLIDAY,
        start_date=monday,
        end_date=monday,
        reason="День Незалежності",
    )
    holiday = EventFactory.build(
        branch=network["b"], starts_at=_at(monday, 11), ends_at=_at(monday, 12)
    )
    weekend_unknown = EventFactory.build(
        branch=no_hours, starts_at=_at(saturday, 11), ends_at=_at(saturday, 12)
    )

    assert holiday.library_closed() == "День Незалежності"
    assert weekend_unknown.library_closed() == ""


def test_creating_an_event_for_a_closed_library_needs_a_reason(network, librarian_a):
    saturday = _monday_in_a_fortnight() + timedelta(days=5)
    common = {
        "title": "Суботня толока",
        "kind": Event.Kind.WORKSHOP,
        "branch": network["a"],
        "starts_at": _at(saturday, 11),
        "acting_user": librarian_a,
    }

    with pytest.raises(ValidationError) as refusal:
        event_create(**common)
    event = event_create(**common, closed_day_reason="Толока у дворі бібліотеки")

    assert "вихідний день бібліотеки" in refusal.value.message_dict["closed_day_reason"][0]
    assert event.closed_day_reason == "Толока у дворі бібліотеки"


def test_a_draft_for_a_closed_evening_is_not_published_until_staff_say_why(
    client, network, librarian_a
):
    monday = _monday_in_a_fortnight()
    draft = EventFactory(
        branch=network["a"],
        status=Event.Status.DRAFT,
        starts_at=_at(monday, 19),
        ends_at=_at(monday, 21),
        closed_day_reason="",
    )
    client.force_login(librarian_a)

    page = client.post(EVENTS, {"action": "publish", "_selected_action": [draft.pk]}, follow=True)

    draft.refresh_from_db()
    assert draft.status == Event.Status.DRAFT
    assert "бібліотека в цей час зачинена" in page.content.decode()


def test_staff_filter_the_events_that_need_a_decision(client, network, librarian_a):
    monday = _monday_in_a_fortnight()
    tuesday = monday + timedelta(days=1)
    EventFactory(branch=network["a"], title="Удень", starts_at=_at(tuesday, 15))
    EventFactory(
        branch=network["a"],
        title="Увечері з поясненням",
        starts_at=_at(tuesday, 19),
        closed_day_reason="Вечір поезії, чергує завідувачка",
    )
    # A closure announced after the event was: nobody has decided yet.
    late = EventFactory(branch=network["a"], title="Потрапив на ремонт", starts_at=_at(monday, 11))
    Closure.objects.create(
        branch=network["a"], kind=Closure.Kind.REPAIRS, start_date=monday, end_date=monday
    )
    client.force_login(librarian_a)

    def titles(**query):
        response = client.get(EVENTS, query)
        return {event.title for event in response.context["cl"].result_list}

    assert titles(closed="unexplained") == {late.title}
    assert titles(closed="explained") == {"Увечері з поясненням"}
    assert titles(closed="no") == {"Удень"}
    listing = client.get(EVENTS).content.decode()
    assert "Ремонт — потрібне пояснення" in listing
    assert "поза годинами роботи — пояснено" in listing


def test_readers_see_why_an_event_goes_ahead_in_a_closed_library_and_may_sign_up(client, network):
    saturday = _monday_in_a_fortnight() + timedelta(days=5)
    event = EventFactory(
        branch=network["a"],
        starts_at=_at(saturday, 11),
        closed_day_reason="Вхід з подвірʼя, двері відчинить чергова бібліотекарка.",
    )

    page = client.get(event.get_absolute_url()).content.decode()
    registration = registration_create(event=event, name="Ірина", email="iryna@example.org")

    assert "бібліотека в цей час зачинена для відвідувачів (вихідний день бібліотеки)" in page
    assert "Вхід з подвірʼя, двері відчинить чергова бібліотекарка." in page
    assert registration.status == "confirmed"


def test_nobody_signs_up_for_an_event_a_new_closure_fell_on_until_staff_decide(client, network):
    monday = _monday_in_a_fortnight()
    event = EventFactory(branch=network["a"], starts_at=_at(monday, 11))
    Closure.objects.create(
        branch=network["a"], kind=Closure.Kind.SANITARY, start_date=monday, end_date=monday
    )

    page = client.get(event.get_absolute_url()).content.decode()

    assert "реєстрацію призупинено" in page
    assert "Санітарний день" in page
    with pytest.raises(RegistrationError):
        registration_create(event=event, name="Ірина", email="iryna@example.org")


def test_the_demo_season_holds_events_only_when_libraries_are_open_and_in_season(db):
    rng = random.Random(2016)
    branches_demo.seed(rng=rng)
    demo.seed(rng=rng)

    events = Event.objects.filter(is_demo=True).select_related("branch")
    upcoming = events.filter(starts_at__gte=timezone.now())
    assert upcoming.count() >= 15
    assert not Event.objects.with_library_closed().filter(is_demo=True, in_closed_library=True)
    for event in events:
        assert event.library_closed() == "", event
        assert demo.idea_fits(event.title, timezone.localtime(event.starts_at).date()), event


def test_summer_and_easter_ideas_wait_for_their_season():
    december = datetime(2026, 12, 9).date()
    july_saturday = datetime(2026, 7, 11).date()

    assert not demo.idea_fits("Читацький марафон «Літо з книгою»", december)
    assert demo.idea_fits("Читацький марафон «Літо з книгою»", july_saturday)
    assert not demo.idea_fits("Майстер-клас з писанкарства", december)
    assert demo.idea_fits("Зимові читання біля ялинки", december)
    assert not demo.idea_fits("Сімейні читання вихідного дня", december)  # a Wednesday
    assert demo.idea_fits("Сімейні читання вихідного дня", july_saturday)
