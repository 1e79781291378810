"""«Мій формуляр», lending: loans with due dates, renewals, holds with queue positions,
reading history and the due-date calendar, as the reader uses them."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from circulation.models import Hold, Loan
from circulation.services import hold_place, loan_checkin, loan_checkout
from core.tz import KYIV
from tests.catalog.factories import ItemFactory, RecordFactory
from tests.circulation.conftest import MONDAY
from tests.circulation.factories import make_reader_profile

pytestmark = pytest.mark.django_db

OLD = datetime(2020, 1, 1, tzinfo=KYIV)
PAGE = "/me/loans/"


def lend(reader, branch, user, *, title):
    item = ItemFactory(record=RecordFactory(title=title), branch=branch, added_at=OLD)
    return loan_checkout(item=item, reader=reader, branch=branch, acting_user=user)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def as_reader(client, reader_a):
    client.force_login(reader_a.user)
    return client


def test_the_reader_sees_their_loans_with_due_dates_and_overdue_marked(
    desk, reader_a, librarian_a, as_reader
):
    lend(reader_a, desk["a"], librarian_a, title="Кобзар")
    late = lend(reader_a, desk["a"], librarian_a, title="Тіні забутих предків")
    Loan.objects.filter(pk=late.pk).update(due_on=MONDAY.date() - timedelta(days=2))

    page = as_reader.get(PAGE).content.decode()

    assert "Кобзар" in page and "01.04.2026" in page
    assert '<tr class="overdue">' in page and "28.02.2026" in page
    assert "прострочено" in page


def test_my_account_page_shows_the_loans_and_holds_section_too(
    desk, reader_a, librarian_a, as_reader
):
    lend(reader_a, desk["a"], librarian_a, title="Кобзар")
    wanted = RecordFactory(title="Лісова пісня")
    holder = make_reader_profile(branch=desk["a"], username="holder")
    copy = ItemFactory(record=wanted, branch=desk["a"], added_at=OLD)
    loan_checkout(item=copy, reader=holder, branch=desk["a"], acting_user=librarian_a)
    hold_place(record=wanted, reader=reader_a, pickup_branch=desk["a"])

    page = as_reader.get("/me/").content.decode()

    assert "Кобзар" in page and "01.04.2026" in page
    assert "Лісова пісня" in page
    assert "Зараз у вас немає книжок" not in page


def test_the_page_takes_a_fixed_number_of_queries(
    desk, book, reader_a, librarian_a, as_reader, django_assert_num_queries
):
    for title in ("Кобзар", "Енеїда", "Тіні"):
        lend(reader_a, desk["a"], librarian_a, title=title)
    hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])
    # session, user, reader, loans, holds (with queue positions), libraries, the footer's
    # central library — however many loans and holds (a reader's menu reads no permissions)
    with django_assert_num_queries(7):
        assert as_reader.get(PAGE).status_code == 200


def test_renewing_one_loan_moves_its_due_date(desk, freeze_now, reader_a, librarian_a, client):
    loan = lend(reader_a, desk["a"], librarian_a, title="Кобзар")
    freeze_now(datetime(2026, 3, 25, 12, 0, tzinfo=KYIV))
    client.force_login(reader_a.user)

    response = client.post(reverse("circulation:me_loan_renew", args=[loan.pk]), follow=True)

    loan.refresh_from_db()
    assert loan.due_on > datetime(2026, 4, 1).date()
    assert messages_of(response) == [f"«Кобзар» продовжено до {loan.due_on:%d.%m.%Y}."]


def test_an_overdue_loan_is_not_renewed_online_and_the_reader_is_told_why(
    desk, reader_a, librarian_a, as_reader
):
    loan = lend(reader_a, desk["a"], librarian_a, title="Кобзар")
    Loan.objects.filter(pk=loan.pk).update(due_on=MONDAY.date() - timedelta(days=1))

    response = as_reader.post(reverse("circulation:me_loan_renew", args=[loan.pk]), follow=True)

    assert messages_of(response) == [
        "«Кобзар» не продовжено: Строк повернення минув: продовжити можна лише в бібліотеці."
    ]


def test_renewing_from_my_account_page_says_why_not_on_that_page(
    desk, reader_a, librarian_a, as_reader
):
    loan = lend(reader_a, desk["a"], librarian_a, title="Кобзар")
    Loan.objects.filter(pk=loan.pk).update(due_on=MONDAY.date() - timedelta(days=1))

    response = as_reader.post(
        reverse("circulation:me_loan_renew", args=[loan.pk]), {"next": "/me/"}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/me/"
    assert (
        '<div class="flash" role="status"><p>«Кобзар» не продовжено: Строк повернення минув'
        in response.content.decode()
    )


def test_renew_all_renews_what_it_can_and_says_why_not_for_the_rest(
    desk, freeze_now, reader_a, reader_b, librarian_a, client
):
    lend(reader_a, desk["a"], librarian_a, title="Кобзар")
    wanted = lend(reader_a, desk["a"], librarian_a, title="Енеїда")
    hold_place(record=wanted.item.record, reader=reader_b, pickup_branch=desk["a"])
    freeze_now(datetime(2026, 3, 25, 12, 0, tzinfo=KYIV))
    client.force_login(reader_a.user)

    response = client.post(reverse("circulation:me_loans_renew_all"), follow=True)

    assert messages_of(response) == [
        "Продовжено 1 документ.",
        "«Енеїда» не продовжено: На цей документ чекають інші читачі, тому продовжити не можна.",
    ]


def test_a_hold_shows_its_place_in_the_queue(desk, book, reader_a, reader_b, client):
    hold_place(record=book, reader=reader_b, pickup_branch=desk["b"])
    hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])
    client.force_login(reader_a.user)
    assert "ви 2-й з 2 у черзі" in client.get(PAGE).content.decode()


def test_a_ready_hold_says_until_when_it_waits(desk, book, reader_a, librarian_a, as_reader):
    hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])
    loan_checkin(item=book.items.get(), branch=desk["a"], acting_user=librarian_a)
    expires = Hold.objects.get().expires_on
    page = as_reader.get(PAGE).content.decode()
    assert f"чекає на вас до {expires:%d.%m.%Y} у бібліотеці «{desk['a'].name}»" in page


def test_the_reader_suspends_resumes_moves_and_cancels_a_hold(desk, book, reader_a, as_reader):
    hold = hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])

    as_reader.post(reverse("circulation:me_hold_suspend", args=[hold.pk]))
    hold.refresh_from_db()
    assert hold.status == Hold.Status.SUSPENDED
    as_reader.post(reverse("circulation:me_hold_resume", args=[hold.pk]))
    hold.refresh_from_db()
    assert hold.status == Hold.Status.WAITING
    response = as_reader.post(
        reverse("circulation:me_hold_pickup", args=[hold.pk]),
        {"pickup_branch": desk["b"].pk},
        follow=True,
    )
    hold.refresh_from_db()
    assert hold.pickup_branch == desk["b"]
    assert messages_of(response)[-1] == (
        f"Замовлення «Лісова пісня» тепер можна забрати в бібліотеці «{desk['b'].name}»."
    )
    as_reader.post(reverse("circulation:me_hold_cancel", args=[hold.pk]))
    hold.refresh_from_db()
    assert hold.status == Hold.Status.CANCELLED


def test_a_reader_cannot_touch_another_readers_loan_or_hold(
    desk, book, reader_a, reader_b, librarian_a, as_reader
):
    loan = lend(reader_b, desk["b"], librarian_a, title="Кобзар")
    hold = hold_place(record=book, reader=reader_b, pickup_branch=desk["b"])
    assert as_reader.post(reverse("circulation:me_loan_renew", args=[loan.pk])).status_code == 404
    assert as_reader.post(reverse("circulation:me_hold_cancel", args=[hold.pk])).status_code == 404
    hold.refresh_from_db()
    assert hold.status == Hold.Status.WAITING


def test_the_reading_history_shows_only_with_the_opt_in_and_can_be_deleted(
    desk, branch_a, librarian_a, client
):
    keeper = make_reader_profile(branch=branch_a, keeps_reading_history=True)
    loan = lend(keeper, desk["a"], librarian_a, title="Кобзар")
    loan_checkin(item=loan.item, branch=desk["a"], acting_user=librarian_a)
    client.force_login(keeper.user)
    assert "Історія читання" in client.get(PAGE).content.decode()

    response = client.post(reverse("circulation:me_history_delete"), follow=True)

    assert messages_of(response) == ["З історії читання видалено 1 запис."]
    loan.refresh_from_db()
    assert loan.reader is None
    assert "Кобзар" not in response.content.decode()


def test_without_the_opt_in_there_is_no_history_section(desk, reader_a, as_reader):
    assert "Історія читання" not in as_reader.get(PAGE).content.decode()


def test_the_calendar_file_has_one_all_day_event_per_due_date(
    desk, reader_a, librarian_a, as_reader
):
    lend(reader_a, desk["a"], librarian_a, title="Кобзар")

    response = as_reader.get(reverse("circulation:me_loans_calendar"))

    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    (event,) = calendar.walk("VEVENT")
    assert event["SUMMARY"] == "Повернути «Кобзар»"
    assert event.decoded("DTSTART") == datetime(2026, 4, 1).date()
    assert event["UID"] and event["DTSTAMP"]


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(desk, client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "next=/me/loans/" in response["Location"]


def test_the_section_speaks_english_under_en(desk, reader_a, librarian_a, as_reader):
    lend(reader_a, desk["a"], librarian_a, title="Кобзар")
    page = as_reader.get("/en/me/loans/").content.decode()
    assert "My account: loans and holds" in page
    assert "Renew all" in page


def test_an_action_returns_to_the_page_it_came_from_but_never_elsewhere(
    desk, book, reader_a, as_reader
):
    hold = hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])
    url = reverse("circulation:me_hold_suspend", args=[hold.pk])
    assert as_reader.post(url, {"next": "/me/"})["Location"] == "/me/"
    hold_resume_url = reverse("circulation:me_hold_resume", args=[hold.pk])
    response = as_reader.post(hold_resume_url, {"next": "https://evil.example/"})
    assert response["Location"] == PAGE
