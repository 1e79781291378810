"""Lending notices: due soon, overdue every 7 days, hold ready, hold about to expire — one
combined message per reader per day, in the reader's language; whom no channel reaches is
listed for the staff to phone."""

from datetime import datetime, timedelta

import pytest
from django.core import mail

from circulation.models import Hold, Loan
from circulation.notices import NOTICE_TEMPLATE, notices_collect, notices_send
from circulation.services import hold_place, loan_checkin, loan_checkout
from core.models import OutgoingMail
from core.tz import KYIV
from tests.catalog.factories import ItemFactory, RecordFactory
from tests.circulation.conftest import MONDAY
from tests.circulation.factories import make_reader_profile

pytestmark = pytest.mark.django_db

OLD = datetime(2020, 1, 1, tzinfo=KYIV)
TODAY = MONDAY.date()


def lend(reader, branch, user, *, due_on, title="Лісова пісня"):
    item = ItemFactory(record=RecordFactory(title=title), branch=branch, added_at=OLD)
    loan = loan_checkout(item=item, reader=reader, branch=branch, acting_user=user)
    Loan.objects.filter(pk=loan.pk).update(due_on=due_on)
    return loan


def notices_mailed():
    return list(OutgoingMail.objects.filter(template=NOTICE_TEMPLATE).order_by("pk"))


def test_a_loan_due_in_three_days_gets_one_reminder_and_running_again_sends_nothing(
    desk, reader_a, librarian_a
):
    lend(reader_a, desk["a"], librarian_a, due_on=TODAY + timedelta(days=3))

    first = notices_send(today=TODAY)
    second = notices_send(today=TODAY)

    assert (first.sent, second.sent, second.already) == (1, 0, 1)
    (message,) = notices_mailed()
    assert message.to == reader_a.user.email
    assert message.context["due_soon"] == [{"title": "Лісова пісня", "due_on": "05.03.2026"}]


def test_the_notices_of_a_run_are_queued_together_not_one_task_per_reader(
    desk, librarian_a, django_capture_on_commit_callbacks
):
    readers = [make_reader_profile(branch=desk["a"]) for _ in range(3)]
    for reader in readers:
        lend(reader, desk["a"], librarian_a, due_on=TODAY + timedelta(days=3))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert notices_send(today=TODAY).sent == 3

    assert sorted(m.to for m in notices_mailed()) == sorted(r.user.email for r in readers)
    assert len(callbacks) == 1  # one delivery task for the batch


def test_loans_due_on_other_days_get_no_reminder(desk, reader_a, librarian_a):
    lend(reader_a, desk["a"], librarian_a, due_on=TODAY + timedelta(days=2))
    lend(reader_a, desk["a"], librarian_a, due_on=TODAY + timedelta(days=4))
    assert notices_send(today=TODAY).sent == 0


@pytest.mark.parametrize(("days_late", "told"), [(1, True), (2, False), (7, False), (8, True)])
def test_an_overdue_loan_is_reminded_the_day_after_and_then_every_seven_days(
    desk, reader_a, librarian_a, days_late, told
):
    lend(reader_a, desk["a"], librarian_a, due_on=TODAY - timedelta(days=days_late))
    assert notices_send(today=TODAY).sent == int(told)


def test_everything_for_one_reader_goes_in_one_message(desk, book, reader_a, librarian_a):
    lend(reader_a, desk["a"], librarian_a, due_on=TODAY + timedelta(days=3), title="Кобзар")
    lend(reader_a, desk["a"], librarian_a, due_on=TODAY - timedelta(days=1), title="Тіні")
    hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])
    loan_checkin(item=book.items.get(), branch=desk["a"], acting_user=librarian_a)
    assert Hold.objects.get().status == Hold.Status.READY

    run = notices_send(today=TODAY)

    assert run.sent == 1
    (message,) = notices_mailed()
    assert [line["title"] for line in message.context["due_soon"]] == ["Кобзар"]
    assert [line["title"] for line in message.context["overdue"]] == ["Тіні"]
    assert [line["title"] for line in message.context["ready"]] == ["Лісова пісня"]


def test_a_ready_hold_whose_last_day_is_tomorrow_is_reminded(
    desk, freeze_now, book, reader_a, librarian_a
):
    hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])
    loan_checkin(item=book.items.get(), branch=desk["a"], acting_user=librarian_a)
    hold = Hold.objects.get()
    day_before = hold.expires_on - timedelta(days=1)
    freeze_now(datetime.combine(day_before, datetime.min.time(), KYIV).replace(hour=8))

    notices_send(today=day_before)

    (message,) = notices_mailed()
    assert message.context["ready"] == []
    assert [line["title"] for line in message.context["expiring"]] == ["Лісова пісня"]


def test_each_reader_is_mailed_in_their_own_language(
    desk, eager_celery, reader_a, librarian_a, django_capture_on_commit_callbacks
):
    reader_a.user.preferred_language = "en"
    reader_a.user.save()
    lend(reader_a, desk["a"], librarian_a, due_on=TODAY - timedelta(days=8))

    with django_capture_on_commit_callbacks(execute=True):
        notices_send(today=TODAY)

    (sent,) = mail.outbox
    assert sent.subject == "Time to return your library books — Lutsk Library System"
    assert "was due 02/22/2026, 8 days overdue" in sent.body
    assert "/en/me/loans/" in sent.body


def test_a_ukrainian_message_uses_the_right_plural(
    desk, eager_celery, reader_a, librarian_a, django_capture_on_commit_callbacks
):
    lend(reader_a, desk["a"], librarian_a, due_on=TODAY - timedelta(days=22))
    lend(reader_a, desk["a"], librarian_a, due_on=TODAY - timedelta(days=15), title="Кобзар")

    with django_capture_on_commit_callbacks(execute=True):
        notices_send(today=TODAY)

    (sent,) = mail.outbox
    assert sent.subject == "Час повернути книжки до бібліотеки — ЦБС м. Луцька"
    assert "мали повернути 08.02.2026, прострочено 22 дні" in sent.body
    assert "мали повернути 15.02.2026, прострочено 15 днів" in sent.body


def test_a_reader_without_email_is_listed_for_their_library_to_call(
    desk, client, reader_a, librarian_a, librarian_b
):
    reader_a.user.email = ""
    reader_a.user.phone = "+380501234567"
    reader_a.user.save()
    lend(reader_a, desk["a"], librarian_a, due_on=TODAY + timedelta(days=3))

    run = notices_send(today=TODAY)

    assert (run.sent, run.to_call) == (0, 1)
    assert notices_mailed() == []
    client.force_login(librarian_a)
    page = client.get("/desk/calls/").content.decode()
    assert reader_a.card_number in page
    assert "«Лісова пісня» — повернути до 05.03.2026" in page
    client.force_login(librarian_b)
    assert reader_a.card_number not in client.get("/desk/calls/").content.decode()


def test_returned_loans_and_forgotten_readers_get_nothing(desk, reader_a, librarian_a):
    loan = lend(reader_a, desk["a"], librarian_a, due_on=TODAY + timedelta(days=3))
    loan_checkin(item=loan.item, branch=desk["a"], acting_user=librarian_a)
    assert notices_send(today=TODAY).sent == 0


def test_collecting_takes_two_queries_however_many_readers(
    desk, librarian_a, django_assert_num_queries
):
    for _ in range(4):
        reader = make_reader_profile(branch=desk["a"])
        lend(reader, desk["a"], librarian_a, due_on=TODAY + timedelta(days=3))
        lend(reader, desk["a"], librarian_a, due_on=TODAY - timedelta(days=1))
    with django_assert_num_queries(2):
        notices = notices_collect(today=TODAY)
    assert len(notices) == 4
    assert all(len(n.due_soon) == 1 and len(n.overdue) == 1 for n in notices)


@pytest.mark.django_db(transaction=True)
def test_two_notice_runs_at_once_still_mail_each_reader_once():
    """Beat fired twice (two workers): the advisory lock and the outbox check keep it to one
    message per reader, on real connections."""
    from django.contrib.contenttypes.models import ContentType

    from accounts.models import StaffProfile
    from tests.circulation.test_races import run_together
    from tests.factories import BranchFactory, UserFactory

    # A transactional test before this one may have flushed and recreated the content types.
    ContentType.objects.clear_cache()
    branch = BranchFactory()
    staff = UserFactory(is_staff=True)
    StaffProfile.objects.create(user=staff, role=StaffProfile.Role.LIBRARIAN, branch=branch)
    readers = [make_reader_profile(branch=branch) for _ in range(3)]
    for reader in readers:
        lend(reader, branch, staff, due_on=TODAY + timedelta(days=3))

    outcomes = run_together(lambda: notices_send(today=TODAY), lambda: notices_send(today=TODAY))

    assert sorted(run.sent for run in outcomes) == [0, 3]
    assert sorted(run.already for run in outcomes) == [0, 3]
    assert OutgoingMail.objects.filter(template=NOTICE_TEMPLATE).count() == 3


def test_a_reader_is_told_at_once_when_check_in_puts_a_copy_aside_and_never_twice(
    desk, eager_celery, book, reader_a, librarian_a, django_capture_on_commit_callbacks
):
    reader_a.user.preferred_language = "en"
    reader_a.user.save()
    hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])

    with django_capture_on_commit_callbacks(execute=True):
        loan_checkin(item=book.items.get(), branch=desk["a"], acting_user=librarian_a)

    (message,) = notices_mailed()
    hold = Hold.objects.get()
    assert message.language == "en"
    assert message.context["ready"] == [
        {
            "title": "Лісова пісня",
            "branch": desk["a"].name,
            "expires_on": f"{hold.expires_on:%m/%d/%Y}",
        }
    ]
    assert len(mail.outbox) == 1
    assert hold.ready_noticed_at is not None
    # The morning run of the same day and of the next day add nothing about it.
    assert notices_send(today=TODAY).sent == 0
    assert notices_send(today=TODAY + timedelta(days=1)).sent == 0
    assert len(notices_mailed()) == 1


def test_a_reader_already_written_to_today_hears_of_the_ready_hold_the_next_morning(
    desk, freeze_now, book, reader_a, librarian_a, django_capture_on_commit_callbacks
):
    lend(reader_a, desk["a"], librarian_a, due_on=TODAY + timedelta(days=3), title="Кобзар")
    assert notices_send(today=TODAY).sent == 1
    hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])

    with django_capture_on_commit_callbacks(execute=True):
        loan_checkin(item=book.items.get(), branch=desk["a"], acting_user=librarian_a)

    assert len(notices_mailed()) == 1  # one message a day
    freeze_now(MONDAY + timedelta(hours=21))  # 08:00 the next morning
    assert notices_send(today=TODAY + timedelta(days=1)).sent == 1
    assert [line["title"] for line in notices_mailed()[-1].context["ready"]] == ["Лісова пісня"]
