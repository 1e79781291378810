"""The help desk's public pages: landing, guides and search, «Попросити допомогу», free slots,
booking with its confirmation and cancel pages; in Ukrainian and English."""

import html
import re
from datetime import timedelta

import icalendar
import pytest
from django.core import mail

from egov.models import Booking, HelpRequest, Slot
from events.models import Event
from tests.egov.factories import BookingFactory, GuideFactory, GuideLinkFactory, SlotFactory, topic
from tests.events.factories import EventFactory
from tests.factories import MONDAY_NOON, BranchFactory, ClosureFactory

pytestmark = pytest.mark.django_db


def text(response):
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.fixture
def guides():
    cadastre = GuideFactory(
        topic=topic("land-cadastre"),
        slug="cadastre",
        title="Перевірити земельну ділянку в кадастрі",
        summary="Публічна кадастрова карта показує межі ділянки.",
    )
    GuideLinkFactory(
        guide=cadastre, title="Публічна кадастрова карта", url="https://map.land.gov.ua/"
    )
    diia = GuideFactory(
        topic=topic("diia"), slug="diia", title="Як увійти в Дію", summary="Застосунок Дія."
    )
    pension = GuideFactory(
        topic=topic("pension-fund"),
        slug="pension",
        title="Вебпортал Пенсійного фонду",
        summary="Стаж і пенсія онлайн.",
    )
    return {"cadastre": cadastre, "diia": diia, "pension": pension}


# --- landing -----------------------------------------------------------------------------------


def test_landing_lists_only_libraries_with_an_e_services_point_and_whether_they_are_open(
    client, at_monday_noon
):
    response = client.get("/e-services/")

    assert [branch.slug for branch, _status in response.context["rows"]] == ["branch-5"]
    assert "вул. Ковельська, 50" in text(response)
    assert "Відчинено" in text(response)


def test_landing_shows_topics_free_slots_and_the_way_to_ask_for_help(
    client, at_monday_noon, guides
):
    SlotFactory(branch=at_monday_noon["a"], starts_at=MONDAY_NOON + timedelta(days=1))
    taken = SlotFactory(branch=at_monday_noon["a"], starts_at=MONDAY_NOON + timedelta(days=2))
    BookingFactory(slot=taken)

    page = text(client.get("/e-services/"))

    assert "Земельний кадастр (1 інструкція)" in page
    assert "Вівторок, 2 червня 12:00–12:45" in page
    assert "Середа, 3 червня" not in page
    assert "Попросити допомогу" in page


def test_landing_is_available_in_english(client, at_monday_noon, guides):
    page = text(client.get("/en/e-services/"))

    assert "Help with online services" in page
    assert "Land cadastre" in page


@pytest.mark.parametrize("count", [3, 30])
def test_landing_runs_a_constant_number_of_queries(
    client, at_monday_noon, count, django_assert_num_queries
):
    GuideFactory.create_batch(count)
    SlotFactory.create_batch(count, branch=at_monday_noon["a"])
    EventFactory.create_batch(count, branch=at_monday_noon["a"], kind=Event.Kind.COMMUNITY_MEETING)
    with django_assert_num_queries(7):
        response = client.get("/e-services/")
    assert len(response.context["slots"]) == min(count, 6)
    assert len(response.context["meetings"]) == 3


def test_landing_lists_the_next_community_meetings_on_e_services(client, at_monday_noon):
    EventFactory(
        branch=at_monday_noon["a"],
        kind=Event.Kind.COMMUNITY_MEETING,
        title="Дія для пенсіонерів: як оформити довідку",
    )
    EventFactory(branch=at_monday_noon["a"], title="Кінопоказ для родин")

    page = client.get("/e-services/").content.decode()

    assert "Дія для пенсіонерів: як оформити довідку" in page
    assert "Кінопоказ для родин" not in page
    assert "?kind=community_meeting" in page


# --- guides ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, found",
    [
        ("кадастру", ["cadastre"]),
        ("земельні ділянки", ["cadastre"]),
        ("Пенсійного фонду", ["pension"]),
        ("дією", ["diia"]),
        ("lsz", ["diia"]),
        ("пенс", ["pension"]),
        ("квиток", []),
    ],
)
def test_guide_search_understands_ukrainian_word_forms(client, guides, query, found):
    response = client.get("/e-services/guides/", {"q": query})

    assert [guide.slug for guide in response.context["guides"]] == found


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("пенсiя", "пенсія"), ("субсидии", "субсидія"), ("кадастер", "кадастр")],
)
def test_a_typo_or_a_latin_letter_inside_a_word_still_finds_the_guide_and_says_so(
    client, typed, meant
):
    GuideFactory(
        topic=topic("social-assistance"), slug="subsidy", title="Субсидія онлайн", summary="Пенсія."
    )
    GuideFactory(topic=topic("land-cadastre"), slug="cadastre", title="Земельний кадастр")

    response = client.get("/e-services/guides/", {"q": typed})

    assert len(response.context["guides"]) == 1
    assert f"За запитом «{typed}» нічого не знайшлося" in text(response)
    assert f"«{meant}»" in text(response)


def test_a_word_like_no_guide_s_word_finds_nothing_and_offers_help(client, guides):
    response = client.get("/e-services/guides/", {"q": "астрономія"})

    assert list(response.context["guides"]) == []
    assert "Нічого не знайдено" in text(response)


def test_guides_can_be_narrowed_to_a_topic(client, guides):
    response = client.get("/e-services/guides/", {"topic": "diia"})

    assert [guide.slug for guide in response.context["guides"]] == ["diia"]
    assert "Знайдено 1 інструкцію" in text(response)


def test_a_search_that_finds_nothing_offers_to_ask_for_help(client, guides):
    page = text(client.get("/e-services/guides/", {"q": "кулінарія"}))

    assert "Нічого не знайшли" in page
    assert "Попросити допомогу" in page


def test_a_guide_shows_its_steps_what_to_bring_official_links_and_review_date(client, guides):
    response = client.get("/e-services/guides/cadastre/")
    page = text(response)

    assert "Крок за кроком" in page
    assert "Відкрийте сайт." in page
    assert "Паспорт" in page
    assert 'href="https://map.land.gov.ua/"' in response.content.decode()
    # The real address is spelled out, so that a look-alike site is easier to notice.
    assert "Публічна кадастрова карта (map.land.gov.ua)" in page
    assert "Інструкцію востаннє перевірено" in page


def test_an_unpublished_guide_is_not_shown(client, guides):
    guides["pension"].is_published = False
    guides["pension"].save()

    assert client.get("/e-services/guides/pension/").status_code == 404
    assert client.get("/e-services/guides/", {"q": "пенсія"}).context["guides"].count() == 0


@pytest.mark.parametrize("count", [3, 30])
def test_guide_list_runs_a_constant_number_of_queries(client, count, django_assert_num_queries):
    GuideFactory.create_batch(count, summary="Дія на смартфоні.")
    with django_assert_num_queries(4):
        response = client.get("/e-services/guides/", {"q": "дія"})
    assert len(response.context["guides"]) == min(count, 20)


# --- help request ------------------------------------------------------------------------------


def help_data(branch, **changes):
    data = {
        "topic": topic("pension-fund").pk,
        "branch": branch.pk,
        "preferred_time": "у вівторок після 15:00",
        "description": "Не бачу свій стаж на порталі.",
        "name": "Ганна",
        "contact": "050 123 45 67",
        "consent": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_citizen_asks_for_help_and_the_library_gets_a_new_request(client, at_monday_noon):
    response = client.post("/e-services/help/", help_data(at_monday_noon["a"]), follow=True)

    assert "Запит надіслано" in text(response)
    request = HelpRequest.objects.get()
    assert (request.status, request.branch, request.contact) == (
        "new",
        at_monday_noon["a"],
        "+380501234567",
    )


def test_a_request_without_consent_or_with_a_bad_contact_keeps_what_was_typed(
    client, at_monday_noon
):
    response = client.post(
        "/e-services/help/", help_data(at_monday_noon["a"], consent=None, contact="завтра")
    )
    page = text(response)

    assert response.status_code == 400
    assert "Без згоди на обробку даних ми не можемо прийняти запит." in page
    assert "Напишіть номер телефону (наприклад, 050 123 45 67) або адресу е-пошти." in page
    assert 'value="у вівторок після 15:00"' in response.content.decode()
    assert "Не бачу свій стаж на порталі." in page
    assert not HelpRequest.objects.exists()


def test_a_request_can_only_go_to_a_library_with_an_e_services_point(client, at_monday_noon):
    response = client.post("/e-services/help/", help_data(at_monday_noon["b"]))

    assert "branch" in response.context["form"].errors
    assert not HelpRequest.objects.exists()


def test_a_bot_filling_the_hidden_field_is_thanked_but_nothing_is_stored(client, at_monday_noon):
    response = client.post(
        "/e-services/help/", help_data(at_monday_noon["a"], website="http://spam.example")
    )

    assert response.status_code == 302
    assert not HelpRequest.objects.exists()


def test_too_many_requests_from_one_address_are_refused_politely_keeping_the_text(
    client, at_monday_noon
):
    for _attempt in range(10):
        client.post("/e-services/help/", help_data(at_monday_noon["a"]))

    response = client.post("/e-services/help/", help_data(at_monday_noon["a"], name="Одинадцята"))

    assert response.status_code == 429
    assert "забагато запитів" in text(response)
    assert 'value="Одинадцята"' in response.content.decode()
    assert HelpRequest.objects.count() == 10


def test_a_request_with_mistakes_does_not_use_up_the_limit(client, at_monday_noon):
    for _attempt in range(12):
        client.post("/e-services/help/", help_data(at_monday_noon["a"], contact=""))

    response = client.post("/e-services/help/", help_data(at_monday_noon["a"]))

    assert response.status_code == 302
    assert HelpRequest.objects.count() == 1


# --- slots and booking -------------------------------------------------------------------------


def test_free_slots_can_be_narrowed_by_library_and_kind(client, at_monday_noon):
    other = BranchFactory()
    other.services.add(*at_monday_noon["a"].services.filter(slug="egov-point"))
    diia = SlotFactory(branch=at_monday_noon["a"], starts_at=MONDAY_NOON + timedelta(days=1))
    SlotFactory(branch=other, starts_at=MONDAY_NOON + timedelta(days=1))
    SlotFactory(
        branch=at_monday_noon["a"],
        kind=Slot.Kind.LEGAL,
        starts_at=MONDAY_NOON + timedelta(days=1),
    )

    response = client.get("/e-services/slots/", {"branch": "branch-5", "kind": "diia"})

    assert list(response.context["slots"]) == [diia]
    assert "1 вільне віконце" in text(response)


@pytest.mark.parametrize("count", [3, 30])
def test_free_slot_list_runs_a_constant_number_of_queries(
    client, at_monday_noon, count, django_assert_num_queries
):
    SlotFactory.create_batch(count, branch=at_monday_noon["a"])
    with django_assert_num_queries(4):
        response = client.get("/e-services/slots/")
    assert len(response.context["slots"]) == min(count, 20)


def booking_data(**changes):
    data = {"name": "Ганна", "email": "hanna@example.org", "phone": "", "consent": "on"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_citizen_books_a_slot_sees_the_confirmation_and_gets_a_mail(
    client, at_monday_noon, django_capture_on_commit_callbacks
):
    slot = SlotFactory(branch=at_monday_noon["a"], starts_at=MONDAY_NOON + timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/e-services/slots/{slot.pk}/", booking_data(), follow=True)

    assert "Ви записалися на консультацію" in text(response)
    assert "Вівторок, 2 червня 2026, 12:00–12:45" in text(response)
    booking = Booking.objects.get()
    assert mail.outbox[0].to == ["hanna@example.org"]
    assert booking.get_cancel_url() in mail.outbox[0].body


def test_the_confirmation_offers_the_booking_as_a_calendar_file_for_the_phone(
    client, at_monday_noon
):
    booking = BookingFactory(
        slot=SlotFactory(branch=at_monday_noon["a"], starts_at=MONDAY_NOON + timedelta(days=1))
    )

    page = client.get(booking.get_absolute_url())
    response = client.get(f"{booking.get_absolute_url()}calendar.ics")

    assert "Що далі" in text(page)
    assert f"{booking.get_absolute_url()}calendar.ics" in page.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == MONDAY_NOON + timedelta(days=1)
    assert "Допомога з Дією" in str(event["summary"])
    assert booking.get_cancel_url() in str(event["description"])
    assert client.get("/e-services/bookings/made-up/calendar.ics").status_code == 404


def test_booking_a_slot_someone_just_took_says_so_and_offers_other_times(client, at_monday_noon):
    slot = SlotFactory(branch=at_monday_noon["a"], starts_at=MONDAY_NOON + timedelta(days=1))
    other = SlotFactory(branch=at_monday_noon["a"], starts_at=MONDAY_NOON + timedelta(days=2))
    BookingFactory(slot=slot)

    response = client.post(f"/e-services/slots/{slot.pk}/", booking_data())

    assert response.status_code == 409
    assert "цей час уже зайняли" in text(response)
    assert response.context["alternatives"] == [other]
    assert Booking.objects.filter(slot=slot).count() == 1


def test_a_booking_needs_a_way_to_reach_the_citizen_and_keeps_what_was_typed(
    client, at_monday_noon
):
    slot = SlotFactory(branch=at_monday_noon["a"], starts_at=MONDAY_NOON + timedelta(days=1))

    response = client.post(
        f"/e-services/slots/{slot.pk}/", booking_data(email="", note="Дія не відкривається")
    )

    assert "Залиште е-пошту або телефон, щоб ми могли вас попередити." in text(response)
    assert "Дія не відкривається" in text(response)
    assert not Booking.objects.exists()


def test_the_cancel_link_cancels_the_booking_and_frees_the_slot(client, at_monday_noon):
    slot = SlotFactory(branch=at_monday_noon["a"], starts_at=MONDAY_NOON + timedelta(days=1))
    booking = BookingFactory(slot=slot)

    confirm = client.get(booking.get_cancel_url())
    response = client.post(booking.get_cancel_url())

    assert "Так, скасувати запис" in text(confirm)
    assert f'href="{booking.get_absolute_url()}"' in confirm.content.decode()  # «Ні, залишити»
    assert "Запис скасовано" in text(response)
    assert list(Slot.objects.free()) == [slot]


def test_a_slot_on_a_day_closed_after_publishing_is_not_offered_and_its_page_says_why(
    client, at_monday_noon
):
    tuesday = MONDAY_NOON + timedelta(days=1)
    slot = SlotFactory(branch=at_monday_noon["a"], starts_at=tuesday)
    booked = BookingFactory(
        slot=SlotFactory(branch=at_monday_noon["a"], starts_at=tuesday + timedelta(hours=1))
    )
    later = SlotFactory(branch=at_monday_noon["a"], starts_at=MONDAY_NOON + timedelta(days=2))
    ClosureFactory(
        branch=at_monday_noon["a"],
        kind="repairs",
        start_date=tuesday.date(),
        end_date=tuesday.date(),
        reason="Ремонт даху",
    )

    listed = client.get("/e-services/slots/")
    page = client.get(f"/e-services/slots/{slot.pk}/")
    posted = client.post(f"/e-services/slots/{slot.pk}/", booking_data())
    confirmation = client.get(booked.get_absolute_url())

    assert list(listed.context["slots"]) == [later]
    assert "цього дня бібліотека зачинена (Ремонт даху)" in text(page)
    assert list(page.context["alternatives"]) == [later]
    assert 'name="consent"' not in page.content.decode()
    assert posted.status_code == 409
    assert not Booking.objects.filter(slot=slot).exists()
    assert "Увага: цього дня бібліотека зачинена (Ремонт даху)" in text(confirmation)


def test_a_made_up_cancel_link_finds_nothing(client, at_monday_noon):
    assert client.get("/e-services/bookings/not-a-token/cancel/").status_code == 404


@pytest.mark.parametrize(
    "path", ["/e-services/", "/e-services/guides/", "/e-services/help/", "/e-services/slots/"]
)
def test_every_page_answers_in_english(client, at_monday_noon, path):
    response = client.get(f"/en{path}")

    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
