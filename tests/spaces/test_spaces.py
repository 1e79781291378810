"""Booking the libraries' spaces and computers: slots cut from the opening hours, no double
booking (also by people pressing at the same moment), staff approval and its letters, the
cancel link, what staff of another library see, the pages without JavaScript and their query
counts, odd input, retention and the plan's figures."""

import random
import threading
from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from branches.models import Closure
from core.tz import KYIV
from spaces import demo, stats
from spaces.models import Booking, Resource
from spaces.services import (
    BookingRefused,
    SlotTaken,
    booking_approve,
    booking_cancel,
    booking_create,
    booking_decline,
    bookings_anonymise,
    bookings_forget_person,
    computers_sync,
    day_slots,
)
from strategy.models import Direction
from tests.factories import BranchFactory, set_hours
from tests.spaces.factories import BookingFactory, ResourceFactory

pytestmark = pytest.mark.django_db

TUESDAY = date(2026, 6, 2)  # the day after MONDAY_NOON (conftest.at_monday_noon)


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=KYIV)


def book(resource, starts_at, **extra):
    data = {
        "resource_id": resource.pk,
        "starts_at": starts_at,
        "name": "Ірина Савчук",
        "email": "savchuk@example.org",
        "organisation": "Луцький ліцей № 21",
        "people": 3,
    }
    return booking_create(**{**data, **extra})


@pytest.fixture
def hall(at_monday_noon):
    """A hall of branch A (Mon–Fri 10–18, lunch 13–14), 20 seats, hour slots."""
    return ResourceFactory(branch=at_monday_noon["a"], name="Зала для заходів", capacity=20)


@pytest.fixture
def approved_hall(at_monday_noon):
    return ResourceFactory(
        branch=at_monday_noon["a"], name="Кінозала", capacity=30, needs_approval=True
    )


# --- slots -------------------------------------------------------------------------------------


def test_slots_follow_the_opening_hours_and_leave_the_lunch_break_out(hall):
    slots = day_slots(resources=[hall], day=TUESDAY)[hall.pk]
    starts = [timezone.localtime(s.starts_at, KYIV).hour for s in slots]
    assert starts == [10, 11, 12, 14, 15, 16, 17]
    assert all(s.free for s in slots)


def test_a_two_hour_space_gets_only_whole_slots_before_lunch_and_closing(hall):
    hall.slot_minutes = 120
    slots = day_slots(resources=[hall], day=TUESDAY)[hall.pk]
    assert [timezone.localtime(s.starts_at, KYIV).hour for s in slots] == [10, 14, 16]


def test_a_dated_closure_and_a_day_off_leave_no_slots(hall):
    Closure.objects.create(
        branch=hall.branch, kind=Closure.Kind.SANITARY, start_date=TUESDAY, end_date=TUESDAY
    )
    hall.branch.refresh_from_db()
    assert day_slots(resources=[hall], day=TUESDAY)[hall.pk] == []
    saturday = TUESDAY + timedelta(days=4)
    assert day_slots(resources=[hall], day=saturday)[hall.pk] == []


def test_a_booked_slot_shows_as_taken_and_the_others_stay_free(hall):
    book(hall, at(TUESDAY, 11))
    slots = day_slots(resources=[hall], day=TUESDAY)[hall.pk]
    assert [s.free for s in slots] == [True, False, True, True, True, True, True]


# --- booking rules -----------------------------------------------------------------------------


def test_a_group_books_a_free_hour_and_gets_a_letter_with_the_cancel_link(
    hall, django_capture_on_commit_callbacks, eager_celery
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(hall, at(TUESDAY, 10))

    assert booking.status == Booking.Status.CONFIRMED
    assert booking.ends_at == at(TUESDAY, 11)
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == ["savchuk@example.org"]
    assert letter.subject == "Бронювання підтверджено"
    assert f"/spaces/bookings/{booking.token}/cancel/" in letter.body
    assert "Зала для заходів" in letter.body


def test_the_same_time_cannot_be_booked_twice(hall):
    book(hall, at(TUESDAY, 10))
    with pytest.raises(SlotTaken):
        book(hall, at(TUESDAY, 10), email="other@example.org")
    assert Booking.objects.count() == 1


def test_the_database_refuses_overlapping_bookings_of_one_space_whatever_the_code(hall):
    BookingFactory(resource=hall, starts_at=at(TUESDAY, 10), ends_at=at(TUESDAY, 12))
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(resource=hall, starts_at=at(TUESDAY, 11), ends_at=at(TUESDAY, 13))
    # Back to back is fine, and a cancelled booking holds nothing.
    BookingFactory(resource=hall, starts_at=at(TUESDAY, 12), ends_at=at(TUESDAY, 13))
    BookingFactory(
        resource=hall,
        starts_at=at(TUESDAY, 10),
        ends_at=at(TUESDAY, 11),
        status=Booking.Status.CANCELLED,
    )
    other = ResourceFactory(branch=hall.branch, name="Читальна зала")
    BookingFactory(resource=other, starts_at=at(TUESDAY, 10), ends_at=at(TUESDAY, 12))


def test_a_cancelled_booking_frees_the_time_for_someone_else(hall):
    first = book(hall, at(TUESDAY, 10))
    booking_cancel(booking=first)
    again = book(hall, at(TUESDAY, 10), email="next@example.org")
    assert again.status == Booking.Status.CONFIRMED


@pytest.mark.parametrize(
    "starts_at",
    [
        at(TUESDAY, 9),  # before opening
        at(TUESDAY, 13),  # lunch break
        at(TUESDAY, 17, 30),  # not a slot start, would end after closing
        at(TUESDAY, 10, 15),  # not on the slot grid
        at(TUESDAY + timedelta(days=4), 11),  # Saturday: closed
    ],
)
def test_times_outside_the_opening_hours_are_refused(hall, starts_at):
    with pytest.raises(BookingRefused, match="годинами роботи"):
        book(hall, starts_at)
    assert not Booking.objects.exists()


def test_a_day_the_library_is_closed_is_refused_with_the_reason(hall):
    Closure.objects.create(
        branch=hall.branch,
        kind=Closure.Kind.REPAIRS,
        start_date=TUESDAY,
        end_date=TUESDAY,
        reason="Ремонт даху",
    )
    with pytest.raises(BookingRefused, match="Ремонт даху"):
        book(hall, at(TUESDAY, 10))


def test_past_times_and_days_too_far_ahead_are_refused(hall):
    with pytest.raises(BookingRefused, match="минула"):
        book(hall, at(TUESDAY - timedelta(days=8), 10))
    with pytest.raises(BookingRefused, match="минув"):
        book(hall, at(TUESDAY - timedelta(days=1), 10))  # this morning, Monday 10:00
    with pytest.raises(BookingRefused, match="не далі ніж"):
        book(hall, at(TUESDAY + timedelta(days=91), 10))


def test_more_people_than_the_space_holds_are_refused(hall):
    with pytest.raises(BookingRefused, match="Найбільше людей"):
        book(hall, at(TUESDAY, 10), people=21)


@pytest.mark.django_db(transaction=True)
def test_people_booking_the_same_hour_at_once_get_one_booking_between_them(freeze_now):
    freeze_now(at(date(2026, 6, 1), 12))
    branch = BranchFactory()
    set_hours(branch, weekdays=range(5))
    hall = ResourceFactory(branch=branch)
    barrier = threading.Barrier(4)
    outcomes = []

    def attempt(number):
        try:
            barrier.wait()
            book(hall, at(TUESDAY, 10), email=f"group{number}@example.org")
            outcomes.append("booked")
        except SlotTaken:
            outcomes.append("taken")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["booked", "taken", "taken", "taken"]
    assert Booking.objects.filter(resource=hall).count() == 1


# --- approval ------------------------------------------------------------------------------------


def test_a_space_that_needs_approval_waits_for_staff_and_tells_the_booker_each_step(
    approved_hall, librarian_a, django_capture_on_commit_callbacks, eager_celery
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(approved_hall, at(TUESDAY, 14))
    assert booking.status == Booking.Status.PENDING
    assert mail.outbox[-1].subject == "Бронювання отримано й чекає підтвердження"
    # Pending holds the time: nobody else gets it meanwhile.
    with pytest.raises(SlotTaken):
        book(approved_hall, at(TUESDAY, 14), email="other@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_approve(booking=booking, acting_user=librarian_a)
    assert booking.status == Booking.Status.CONFIRMED
    assert mail.outbox[-1].subject == "Бібліотека підтвердила ваше бронювання"
    entry = LogEntry.objects.get(object_id=str(booking.pk), user=librarian_a)
    assert "Очікує підтвердження → Підтверджено" in entry.change_message
    assert "Савчук" not in entry.object_repr


def test_a_declined_booking_frees_the_time_and_the_booker_is_told(
    approved_hall, librarian_a, django_capture_on_commit_callbacks, eager_celery
):
    booking = book(approved_hall, at(TUESDAY, 14))
    with django_capture_on_commit_callbacks(execute=True):
        booking_decline(booking=booking, acting_user=librarian_a)
    assert mail.outbox[-1].subject == "Бібліотека відхилила ваше бронювання"
    assert book(approved_hall, at(TUESDAY, 14), email="next@example.org").pk


def test_a_decided_booking_cannot_be_decided_again(approved_hall, librarian_a):
    booking = booking_approve(booking=book(approved_hall, at(TUESDAY, 14)), acting_user=librarian_a)
    with pytest.raises(ValidationError, match="Підтверджено"):
        booking_decline(booking=booking, acting_user=librarian_a)


# --- public pages --------------------------------------------------------------------------------


def test_the_day_view_lists_free_slots_as_buttons_without_javascript(client, hall):
    book(hall, at(TUESDAY, 11))
    page = client.get("/spaces/branch-5/", {"date": "2026-06-02"}).content.decode()
    assert "Зала для заходів" in page
    assert f'/spaces/branch-5/{hall.pk}/book/?date=2026-06-02&amp;time=10:00"' in page
    assert "time=11:00" not in page
    assert "зайнято" in page


def test_a_past_date_and_odd_dates_get_a_clear_message_not_an_error(client, hall):
    past = client.get("/spaces/branch-5/", {"date": "2020-01-01"})
    assert past.status_code == 200
    assert "Ця дата вже минула" in past.content.decode()
    far = client.get("/spaces/branch-5/", {"date": "9999-12-31"})
    assert far.status_code == 400
    assert "Вкажіть дату від 01.01.2000 до 31.12.2100." in far.content.decode()
    for junk in ("2026-02-30", "2026-06-02\x00", "абв", "9" * 40):
        assert client.get("/spaces/branch-5/", {"date": junk}).status_code == 400
    ahead = client.get("/spaces/branch-5/", {"date": "2100-12-31"})
    assert "Бронювати можна не далі ніж до" in ahead.content.decode()


def test_a_library_without_spaces_has_no_booking_page(client, hall):
    assert client.get("/spaces/branch-7/").status_code == 404
    assert client.get("/spaces/no-such-library/").status_code == 404


def test_the_library_page_links_to_booking_only_when_it_has_spaces(client, hall):
    assert "/spaces/branch-5/" in client.get("/branches/branch-5/").content.decode()
    assert "/spaces/branch-7/" not in client.get("/branches/branch-7/").content.decode()


def booking_post(**extra):
    return {
        "organisation": "Клуб шахістів «Гамбіт»",
        "name": "Петро Мельник",
        "email": "melnyk@example.org",
        "phone": "050 123 45 67",
        "people": "8",
        "purpose": "Турнір",
        "consent": "on",
        **extra,
    }


def book_url(resource, day="2026-06-02", hour="10:00"):
    return f"/spaces/branch-5/{resource.pk}/book/?date={day}&time={hour}"


def test_a_group_books_through_the_form_and_lands_on_its_booking_page(client, hall):
    response = client.post(book_url(hall), booking_post())
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/spaces/bookings/{booking.token}/"
    assert (booking.organisation, booking.people, booking.phone) == (
        "Клуб шахістів «Гамбіт»",
        8,
        "+380501234567",
    )
    page = client.get(response["Location"])
    assert page["Cache-Control"] == "private, no-store"
    assert "Бронювання підтверджено" in page.content.decode()


def test_without_signing_in_only_groups_book(client, hall):
    response = client.post(book_url(hall), booking_post(organisation=""))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Напишіть назву організації або групи чи увійдіть як читач." in body
    # What was typed stays.
    assert "melnyk@example.org" in body
    assert not Booking.objects.exists()


def test_a_signed_in_reader_books_for_themselves(client, hall, reader):
    client.force_login(reader)
    response = client.post(book_url(hall), booking_post(organisation="", people="1"))
    assert response.status_code == 302
    assert Booking.objects.get().user == reader


def test_a_taken_slot_says_so_and_offers_another_time(client, hall):
    book(hall, at(TUESDAY, 10))
    response = client.post(book_url(hall), booking_post(email="late@example.org"))
    assert response.status_code == 409
    body = response.content.decode()
    assert "цей час уже забронювали" in body
    assert "Обрати інший час" in body


@pytest.mark.parametrize(
    "extra",
    [
        {"name": "Петро\x00"},
        {"people": "99999999999999999999"},
        {"people": "-3"},
        {"people": "21"},
        {"email": "not-an-address"},
        {"purpose": "х" * 5000},
    ],
)
def test_hostile_input_gets_a_form_error_not_a_server_error(client, hall, extra):
    response = client.post(book_url(hall), booking_post(**extra))
    assert response.status_code == 400
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    "query",
    ["date=9999-12-31&time=10:00", "date=2026-06-02&time=25:61", "date=&time=", "time=10:00"],
)
def test_a_broken_slot_address_goes_back_to_the_day_view(client, hall, query):
    response = client.get(f"/spaces/branch-5/{hall.pk}/book/?{query}")
    assert response.status_code == 302
    assert response["Location"] == "/spaces/branch-5/"


def test_a_slot_outside_the_hours_shows_why_and_books_nothing(client, hall):
    response = client.post(book_url(hall, hour="13:00"), booking_post())
    assert response.status_code == 409
    assert "годинами роботи" in response.content.decode()
    assert not Booking.objects.exists()


def test_a_filled_honeypot_books_nothing(client, hall):
    response = client.post(book_url(hall), booking_post(website="http://spam.example"))
    assert response.status_code == 302
    assert not Booking.objects.exists()


def test_the_cancel_link_asks_then_cancels_and_the_time_frees(client, hall):
    booking = book(hall, at(TUESDAY, 10))
    ask = client.get(booking.get_cancel_url())
    assert "Так, скасувати бронювання" in ask.content.decode()
    done = client.post(booking.get_cancel_url())
    assert "Бронювання скасовано" in done.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert client.post(booking.get_cancel_url()).content.decode().count("вже не можна") == 1
    assert client.get("/spaces/bookings/not-a-token%00/").status_code == 404


def test_a_booking_that_has_begun_cannot_be_cancelled_by_link(client, hall, freeze_now):
    booking = book(hall, at(TUESDAY, 10))
    freeze_now(at(TUESDAY, 10, 30))
    response = client.post(booking.get_cancel_url())
    assert "вже не можна скасувати" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_pages_are_in_english_under_en(client, hall):
    index = client.get("/en/spaces/").content.decode()
    assert "Book a space or a computer" in index
    day = client.get("/en/spaces/branch-5/", {"date": "2026-06-02"}).content.decode()
    assert "Show free times" in day
    form = client.get("/en/" + book_url(hall).lstrip("/")).content.decode()
    assert "Organisation or group" in form


# --- query counts --------------------------------------------------------------------------------

DAY_QUERIES = 5  # the library, its hours, its closures, its spaces, their bookings (footer cached)
INDEX_QUERIES = 1  # the libraries with their counts of spaces (footer cached by the first page)


def add_spaces_and_bookings(branch, n):
    for number in range(n):
        resource = ResourceFactory(branch=branch, name=f"Зона {number}", kind="zone")
        BookingFactory(resource=resource, starts_at=at(TUESDAY, 10), ends_at=at(TUESDAY, 11))
        BookingFactory(resource=resource, starts_at=at(TUESDAY, 15), ends_at=at(TUESDAY, 16))


def test_the_day_view_runs_the_same_queries_however_many_spaces_and_bookings(
    client, hall, django_assert_num_queries
):
    client.get("/spaces/branch-5/")  # warm the caches the site shares
    with django_assert_num_queries(DAY_QUERIES):
        client.get("/spaces/branch-5/", {"date": "2026-06-02"})
    add_spaces_and_bookings(hall.branch, 5)
    with django_assert_num_queries(DAY_QUERIES):
        client.get("/spaces/branch-5/", {"date": "2026-06-02"})


def test_the_list_of_libraries_runs_the_same_queries_however_many_spaces(
    client, hall, at_monday_noon, django_assert_num_queries
):
    client.get("/spaces/")
    with django_assert_num_queries(INDEX_QUERIES):
        client.get("/spaces/")
    for branch in at_monday_noon.values():
        add_spaces_and_bookings(branch, 3)
    with django_assert_num_queries(INDEX_QUERIES):
        client.get("/spaces/")


def test_the_booking_form_and_the_booking_page_run_few_queries(
    client, hall, django_assert_num_queries
):
    booking = book(hall, at(TUESDAY, 10))
    # The library, its hours, its closures, the space; the central library (site context).
    with django_assert_num_queries(5):
        client.get(book_url(hall, hour="11:00"))
    # The booking with its space and library (the footer is cached by the page before).
    with django_assert_num_queries(1):
        client.get(booking.get_absolute_url())


# --- back office ---------------------------------------------------------------------------------


def test_staff_of_another_library_see_none_of_its_bookings(
    client, hall, librarian_a, librarian_b, methodologist
):
    booking = book(hall, at(TUESDAY, 10))
    change = f"/admin/spaces/booking/{booking.pk}/change/"

    client.force_login(librarian_b)
    listing = client.get("/admin/spaces/booking/")
    assert listing.status_code == 200
    assert "Ірина Савчук" not in listing.content.decode()
    assert client.get(change).status_code in (302, 403, 404)

    client.force_login(librarian_a)
    assert "Луцький ліцей № 21" in client.get("/admin/spaces/booking/").content.decode()
    assert client.get(change).status_code == 200

    # Methodologists see the numbers (the plan's indicators), not who booked.
    client.force_login(methodologist)
    assert client.get("/admin/spaces/booking/").status_code == 403


def test_staff_approve_their_librarys_bookings_from_the_list_and_not_another_librarys(
    client,
    approved_hall,
    librarian_a,
    librarian_b,
    django_capture_on_commit_callbacks,
    eager_celery,
):
    booking = book(approved_hall, at(TUESDAY, 14))
    action = {"action": "approve", "_selected_action": [booking.pk]}

    client.force_login(librarian_b)
    client.post("/admin/spaces/booking/", action)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PENDING

    client.force_login(librarian_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/spaces/booking/", action)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert mail.outbox[-1].subject == "Бібліотека підтвердила ваше бронювання"


def test_a_librarian_links_a_space_only_to_a_zone_of_their_own_library(
    client, hall, network, branch_head_a
):
    other_zone = network["b"].zones.create(kind="quiet", name="Тиха зона B")
    client.force_login(branch_head_a)
    page = client.get(f"/admin/spaces/resource/{hall.pk}/change/").content.decode()
    assert "Коворкінг" in page
    assert "Тиха зона B" not in page
    assert other_zone.pk


def test_computers_are_made_from_the_count_on_the_library_card(hall, librarian_a):
    hall.branch.public_pcs = 3
    hall.branch.save()
    made = computers_sync(branch=hall.branch, acting_user=librarian_a)
    assert [r.name for r in made] == ["Компʼютер 1", "Компʼютер 2", "Компʼютер 3"]
    assert computers_sync(branch=hall.branch, acting_user=librarian_a) == []
    assert Resource.objects.computers().filter(branch=hall.branch, capacity=1).count() == 3


# --- retention -----------------------------------------------------------------------------------


def test_retention_erases_names_and_contacts_of_past_bookings_and_keeps_the_numbers(hall):
    past = BookingFactory(
        resource=hall, starts_at=at(date(2026, 5, 4), 10), ends_at=at(date(2026, 5, 4), 11)
    )
    future = book(hall, at(TUESDAY, 10))
    assert bookings_anonymise(before=timezone.now()) == 1
    past.refresh_from_db()
    assert (past.name, past.email, past.organisation, past.phone) == ("", "", "", "")
    assert past.people == 5 and past.status == Booking.Status.CONFIRMED
    future.refresh_from_db()
    assert future.email == "savchuk@example.org"


def test_a_reader_who_leaves_has_their_coming_bookings_cancelled_and_forgotten(hall, reader):
    coming = book(hall, at(TUESDAY, 10), user=reader, organisation="")
    assert bookings_forget_person(user=reader, emails=[]) == 1
    coming.refresh_from_db()
    assert coming.status == Booking.Status.CANCELLED
    assert coming.user is None and coming.email == ""


# --- figures -------------------------------------------------------------------------------------


def test_use_per_year_counts_confirmed_bookings_that_began_for_zones_and_computers(
    at_monday_noon,
):
    branch = at_monday_noon["a"]
    hall = ResourceFactory(branch=branch, name="Зала")
    pc = ResourceFactory(branch=branch, name="Компʼютер 1", kind="computer", capacity=1)
    may = date(2026, 5, 4)
    BookingFactory(resource=hall, starts_at=at(may, 10), ends_at=at(may, 12), people=12)
    BookingFactory(resource=hall, starts_at=at(may, 14), ends_at=at(may, 15), people=4)
    BookingFactory(
        resource=hall,
        starts_at=at(may, 16),
        ends_at=at(may, 17),
        status=Booking.Status.CANCELLED,
    )
    BookingFactory(
        resource=hall, starts_at=at(may, 17), ends_at=at(may, 18), status=Booking.Status.DECLINED
    )
    BookingFactory(resource=hall, starts_at=at(TUESDAY, 10), ends_at=at(TUESDAY, 11))  # to come
    BookingFactory(resource=pc, starts_at=at(may, 10), ends_at=at(may, 11), people=1)
    BookingFactory(resource=pc, starts_at=at(may, 11), ends_at=at(may, 11, 30), people=1)
    key = (branch.pk, 2026)

    assert stats.zone_bookings(years=[2026])[key] == 2
    assert stats.zone_people(years=[2026])[key] == 16
    assert str(stats.zone_hours(years=[2026])[key]) == "3.0"
    assert stats.pc_sessions(years=[2026])[key] == 2
    assert str(stats.pc_hours(years=[2026])[key]) == "1.5"
    assert stats.declined(years=[2026])[key] == 1
    assert stats.zone_bookings(years=[2026], branch_ids=[at_monday_noon["b"].pk]) == {}
    months = stats.use_by_month(years=[2026])
    assert [(row["month"], row["kind"], row["bookings"]) for row in months] == [
        (5, "zones", 2),
        (5, "computers", 2),
    ]


def test_the_plan_reads_the_use_of_zones_and_computers_from_bookings():
    def codes(number):
        direction = Direction.objects.get(plan__slug="2016-2021", number=number)
        return set(direction.indicators.values_list("metric__code", flat=True))

    assert {"spaces.zone_hours", "spaces.zone_bookings", "spaces.zone_people"} <= codes(8)
    assert {"spaces.pc_hours", "spaces.pc_sessions", "manual.public_pcs"} <= codes(3)
    assert "spaces.pc_sessions" in codes(13)
    assert "spaces.declined" in codes(6)


# --- demo ----------------------------------------------------------------------------------------


def test_the_demo_makes_spaces_from_the_library_cards_and_bookings_without_overlaps(network):
    network["a"].public_pcs = 2
    network["a"].save()
    made = demo.seed(rng=random.Random(5), counts={"spaces": 40})
    assert made > 0
    a = Resource.objects.filter(branch=network["a"])
    assert {r.name for r in a} >= {"Коворкінг", "Компʼютер 1", "Компʼютер 2"}
    assert Booking.objects.filter(is_demo=True).count() > 0
    assert demo.seed(rng=random.Random(5)) == 0


def test_a_library_whose_spaces_are_all_closed_to_booking_says_so(client, hall):
    hall.is_active = False
    hall.save()
    page = client.get("/spaces/branch-5/")
    assert page.status_code == 200
    assert "Ця бібліотека зараз не приймає бронювань." in page.content.decode()
    assert "/spaces/branch-5/" not in client.get("/spaces/").content.decode()
