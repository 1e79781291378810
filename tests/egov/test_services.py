"""The help desk's rules: the request workflow and its log, booking a slot (also by two people
at the same moment), reminders, and the retention of personal data."""

import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.utils import timezone

from core.audit import audit_entries_for, audit_log
from core.mail import mail_outbox_flush
from core.models import OutgoingMail
from core.tasks import personal_data_anonymise_task
from core.tz import KYIV
from egov.models import Booking, HelpRequest, Slot, WalkIn
from egov.services import (
    SlotClosed,
    SlotTaken,
    booking_cancel,
    booking_reminders_send,
    bookings_anonymise,
    help_request_create,
    help_request_transition,
    help_requests_anonymise,
    slot_book,
    slots_publish,
    walk_in_correct,
    walk_in_delete,
    walk_in_log,
)
from tests.egov.factories import (
    BookingFactory,
    HelpRequestFactory,
    SlotFactory,
    WalkInFactory,
    topic,
)
from tests.factories import BranchFactory, ClosureFactory

pytestmark = pytest.mark.django_db
Status = HelpRequest.Status


def test_a_new_request_is_received_with_its_time_and_no_staff_entry(branch_a):
    request = help_request_create(
        topic=topic(), branch=branch_a, name="Ганна", contact="050 123 45 67"
    )

    assert request.status == Status.NEW
    assert request.created_at is not None
    assert not audit_entries_for([request]).exists()


def test_staff_schedule_then_close_a_request_and_each_step_says_who_and_when(
    branch_a, librarian_a, freeze_now
):
    request = HelpRequestFactory(branch=branch_a)
    meeting = datetime(2026, 12, 1, 10, tzinfo=UTC)
    freeze_now(datetime(2026, 11, 27, 9, tzinfo=UTC))

    help_request_transition(
        request=request, to_status=Status.SCHEDULED, scheduled_for=meeting, acting_user=librarian_a
    )
    request = help_request_transition(
        request=request,
        to_status=Status.DONE,
        acting_user=librarian_a,
        minutes_spent=30,
        outcome="Увійшла в Дію, отримала довідку.",
    )

    assert request.status == Status.DONE
    assert request.assignee == librarian_a
    assert request.closed_at == datetime(2026, 11, 27, 9, tzinfo=UTC)
    log = list(
        audit_entries_for([request]).order_by("pk").values_list("change_message", "user__username")
    )
    assert log == [
        ("Стан: Нова → Призначено зустріч", "librarian_a"),
        ("Стан: Призначено зустріч → Виконано", "librarian_a"),
    ]


def test_a_citizen_who_left_an_email_gets_the_meeting_time_in_writing(
    branch_a, librarian_a, django_capture_on_commit_callbacks
):
    by_mail = HelpRequestFactory(branch=branch_a, contact="hanna@example.org", name="Ганна")
    by_phone = HelpRequestFactory(branch=branch_a, contact="050 123 45 67")
    meeting = datetime(2026, 12, 1, 10, tzinfo=UTC)

    with django_capture_on_commit_callbacks(execute=True):
        for request in (by_mail, by_phone):
            help_request_transition(
                request=request,
                to_status=Status.SCHEDULED,
                scheduled_for=meeting,
                acting_user=librarian_a,
            )

    assert [message.to for message in mail.outbox] == [["hanna@example.org"]]
    assert mail.outbox[0].subject == "Вам призначено зустріч у бібліотеці"
    assert "Добрий день, Ганна!" in mail.outbox[0].body
    assert "1 грудня 2026, 12:00" in mail.outbox[0].body
    assert branch_a.name in mail.outbox[0].body


def test_a_closed_request_cannot_be_reopened(branch_a, librarian_a):
    request = HelpRequestFactory(branch=branch_a, status=Status.CANCELLED)

    with pytest.raises(ValidationError, match="не можна перевести"):
        help_request_transition(request=request, to_status=Status.NEW, acting_user=librarian_a)


def test_a_new_request_cannot_be_marked_no_show_before_a_meeting_was_set(branch_a, librarian_a):
    request = HelpRequestFactory(branch=branch_a)

    with pytest.raises(ValidationError):
        help_request_transition(request=request, to_status=Status.NO_SHOW, acting_user=librarian_a)
    assert HelpRequest.objects.get(pk=request.pk).status == Status.NEW


def test_scheduling_needs_a_time_and_closing_as_done_needs_the_minutes(branch_a, librarian_a):
    request = HelpRequestFactory(branch=branch_a)

    with pytest.raises(ValidationError, match="на коли"):
        help_request_transition(
            request=request, to_status=Status.SCHEDULED, acting_user=librarian_a
        )
    with pytest.raises(ValidationError, match="хвилин"):
        help_request_transition(request=request, to_status=Status.DONE, acting_user=librarian_a)


# --- booking -----------------------------------------------------------------------------------


def test_a_slot_is_booked_once_and_the_second_person_is_told_it_is_taken(branch_a):
    slot = SlotFactory(branch=branch_a)

    booking = slot_book(slot_id=slot.pk, name="Ганна", email="hanna@example.org")

    assert booking.status == Booking.Status.BOOKED
    with pytest.raises(SlotTaken):
        slot_book(slot_id=slot.pk, name="Петро", phone="050 000 00 00")
    assert Slot.objects.free().filter(pk=slot.pk).count() == 0


def test_a_cancelled_booking_frees_the_slot_for_someone_else(branch_a):
    slot = SlotFactory(branch=branch_a)
    booking = slot_book(slot_id=slot.pk, name="Ганна", phone="050 000 00 00")

    booking_cancel(booking=booking)

    assert list(Slot.objects.free()) == [slot]
    assert slot_book(slot_id=slot.pk, name="Петро", phone="050 111 11 11").name == "Петро"


def test_a_slot_that_has_started_cannot_be_booked(branch_a):
    slot = SlotFactory(branch=branch_a, starts_at=timezone.now() - timedelta(minutes=1))

    with pytest.raises(SlotTaken):
        slot_book(slot_id=slot.pk, name="Ганна", phone="050 000 00 00")


def test_the_database_refuses_a_second_holding_booking_even_without_the_service(branch_a):
    slot = SlotFactory(branch=branch_a)
    BookingFactory(slot=slot)

    with pytest.raises(IntegrityError):
        BookingFactory(slot=slot)


def test_booking_with_an_email_sends_a_confirmation_with_a_cancel_link(
    branch_a, django_capture_on_commit_callbacks
):
    slot = SlotFactory(branch=branch_a)

    with django_capture_on_commit_callbacks(execute=True):
        booking = slot_book(slot_id=slot.pk, name="Ганна", email="hanna@example.org")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["hanna@example.org"]
    assert f"/e-services/bookings/{booking.token}/cancel/" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_two_people_booking_the_same_slot_at_once_get_one_booking_between_them():
    branch = BranchFactory()
    slot = SlotFactory(branch=branch)
    barrier = threading.Barrier(4)
    outcomes = []

    def book(number):
        try:
            barrier.wait()
            slot_book(slot_id=slot.pk, name=f"Людина {number}", phone="050 000 00 00")
            outcomes.append("booked")
        except SlotTaken:
            outcomes.append("taken")
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["booked", "taken", "taken", "taken"]
    assert Booking.objects.filter(slot=slot).count() == 1


# --- reminders ---------------------------------------------------------------------------------


def test_people_booked_for_tomorrow_are_reminded_once(
    branch_a, freeze_now, django_capture_on_commit_callbacks
):
    now = freeze_now(datetime(2026, 11, 27, 8, tzinfo=UTC))
    tomorrow = BookingFactory(
        slot=SlotFactory(branch=branch_a, starts_at=datetime(2026, 11, 28, 8, tzinfo=UTC)),
        email="tomorrow@example.org",
    )
    BookingFactory(
        slot=SlotFactory(branch=branch_a, starts_at=datetime(2026, 11, 29, 8, tzinfo=UTC)),
        email="later@example.org",
    )
    BookingFactory(
        slot=SlotFactory(branch=branch_a, starts_at=datetime(2026, 11, 28, 9, tzinfo=UTC)),
        email="cancelled@example.org",
        status=Booking.Status.CANCELLED,
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert booking_reminders_send(now=now) == 1
        assert booking_reminders_send(now=now) == 0
    assert [message.to for message in mail.outbox] == [["tomorrow@example.org"]]
    assert "завтра" in mail.outbox[0].body
    assert tomorrow.get_cancel_url() in mail.outbox[0].body


def test_nobody_is_reminded_of_a_consultation_on_a_day_the_library_closed(branch_a, freeze_now):
    now = freeze_now(datetime(2026, 11, 27, 8, tzinfo=UTC))
    BookingFactory(
        slot=SlotFactory(branch=branch_a, starts_at=datetime(2026, 11, 28, 8, tzinfo=UTC)),
        email="tomorrow@example.org",
    )
    ClosureFactory(
        branch=None, kind="holiday", start_date=date(2026, 11, 28), end_date=date(2026, 11, 28)
    )

    assert booking_reminders_send(now=now) == 0
    assert mail.outbox == []


def test_the_reminder_goes_out_in_english_to_who_booked_in_english(
    branch_a, freeze_now, django_capture_on_commit_callbacks
):
    now = freeze_now(datetime(2026, 11, 27, 8, tzinfo=UTC))
    BookingFactory(
        slot=SlotFactory(branch=branch_a, starts_at=datetime(2026, 11, 28, 8, tzinfo=UTC)),
        language="en",
    )

    with django_capture_on_commit_callbacks(execute=True):
        booking_reminders_send(now=now)

    assert "tomorrow" in mail.outbox[0].body
    assert "/en/e-services/bookings/" in mail.outbox[0].body


# --- retention ---------------------------------------------------------------------------------


def test_old_closed_requests_and_past_bookings_lose_their_personal_data(branch_a, librarian_a):
    long_ago = timezone.now() - timedelta(days=400)
    old = HelpRequestFactory(
        branch=branch_a, status=Status.DONE, closed_at=long_ago, outcome="Ганні допомогли"
    )
    audit_log(user=librarian_a, obj=old, message="Стан: …", note="Ганна дякувала")
    recent = HelpRequestFactory(
        branch=branch_a, status=Status.DONE, closed_at=timezone.now() - timedelta(days=10)
    )
    still_open = HelpRequestFactory(branch=branch_a, created_at=long_ago)
    past_booking = BookingFactory(
        slot=SlotFactory(
            branch=branch_a, starts_at=long_ago, ends_at=long_ago + timedelta(minutes=30)
        )
    )

    before = timezone.now() - timedelta(days=365)

    assert help_requests_anonymise(before=before) == 1
    assert bookings_anonymise(before=before) == 1
    old.refresh_from_db()
    past_booking.refresh_from_db()
    assert (old.name, old.contact, old.description, old.outcome) == ("", "", "", "")
    entry = audit_entries_for([old]).get()
    assert (entry.change_message, entry.object_repr) == ("Стан: …", f"Запит № {old.pk}")
    assert old.status == Status.DONE
    assert (past_booking.name, past_booking.email) == ("", "")
    assert HelpRequest.objects.get(pk=recent.pk).name == "Ганна Коваль"
    assert HelpRequest.objects.get(pk=still_open.pk).name == "Ганна Коваль"


def test_the_retention_command_dry_run_reports_and_changes_nothing(branch_a, capsys):
    old = HelpRequestFactory(
        branch=branch_a, status=Status.CANCELLED, closed_at=timezone.now() - timedelta(days=40)
    )

    call_command("anonymise_personal_data", "--days", "30", "--dry-run")

    assert "Буде знеособлено 1 запис." in capsys.readouterr().out
    assert HelpRequest.objects.get(pk=old.pk).name == "Ганна Коваль"
    call_command("anonymise_personal_data", "--days", "30")
    assert HelpRequest.objects.get(pk=old.pk).name == ""


def test_a_reminder_the_mail_server_refused_waits_and_goes_out_once_it_is_back(
    branch_a, freeze_now, settings, django_capture_on_commit_callbacks
):
    now = freeze_now(datetime(2026, 11, 27, 8, tzinfo=UTC))
    BookingFactory(
        slot=SlotFactory(branch=branch_a, starts_at=datetime(2026, 11, 28, 8, tzinfo=UTC))
    )
    # Port 9 on this machine refuses connections: a mail server that is down.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2

    with django_capture_on_commit_callbacks(execute=True):
        assert booking_reminders_send(now=now) == 1
    assert booking_reminders_send(now=now) == 0
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.QUEUED

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail_outbox_flush(now=now + timedelta(minutes=5))
    mail_outbox_flush(now=now + timedelta(minutes=10))
    assert len(mail.outbox) == 1


# --- publishing only when the library is open -----------------------------------------------

MONDAY = datetime(2026, 6, 1, 12, 0, tzinfo=KYIV)


def publish_tuesdays(branch, *, start=time(12), end=time(15), weekday=1, weeks=2):
    return slots_publish(
        branch=branch,
        kind=Slot.Kind.DIIA,
        weekday=weekday,
        start=start,
        end=end,
        minutes=30,
        first_day=MONDAY.date(),
        weeks=weeks,
    )


def test_a_weekly_series_skips_the_lunch_break_and_a_sanitary_day_and_says_why(freeze_now, network):
    freeze_now(MONDAY)
    ClosureFactory(
        branch=network["a"], kind="sanitary", start_date=date(2026, 6, 9), end_date=date(2026, 6, 9)
    )

    result = publish_tuesdays(network["a"])

    published = [f"{timezone.localtime(s.starts_at):%d.%m %H:%M}" for s in Slot.objects.all()]
    assert sorted(published) == ["02.06 12:00", "02.06 12:30", "02.06 14:00", "02.06 14:30"]
    reasons = {reason for _slot, reason in result.skipped}
    assert reasons == {
        "2 червня бібліотека працює лише 10:00–13:00, 14:00–18:00.",
        "9 червня бібліотека зачинена: Санітарний день.",
    }
    assert len(result.skipped) == 2 + 6


def test_a_series_on_a_day_the_library_does_not_work_publishes_nothing(freeze_now, network):
    freeze_now(MONDAY)

    result = publish_tuesdays(network["a"], weekday=5, weeks=1)

    assert result.created == []
    assert {reason for _slot, reason in result.skipped} == {
        "6 червня (субота) бібліотека не працює."
    }


def test_a_network_wide_holiday_entered_later_hides_the_slot_and_refuses_to_book_it(
    freeze_now, network
):
    freeze_now(MONDAY)
    slot = publish_tuesdays(network["a"], weeks=1).created[0]
    assert list(Slot.objects.free()) != []

    ClosureFactory(
        branch=None, kind="holiday", start_date=date(2026, 6, 2), end_date=date(2026, 6, 2)
    )

    assert list(Slot.objects.free()) == []
    with pytest.raises(SlotClosed):
        slot_book(slot_id=slot.pk, name="Ганна", phone="050 123 45 67")
    assert not Booking.objects.exists()


def test_the_nightly_retention_run_erases_old_contacts_and_keeps_minutes(freeze_now, branch_a):
    old = HelpRequestFactory(
        branch=branch_a,
        status=Status.DONE,
        closed_at=datetime(2024, 1, 10, tzinfo=UTC),
        minutes_spent=20,
    )
    freeze_now(datetime(2026, 6, 1, tzinfo=UTC))

    result = personal_data_anonymise_task.apply().get()
    assert (result["egov.help_requests"], result["egov.bookings"]) == (1, 0)
    old.refresh_from_db()
    assert (old.name, old.contact, old.minutes_spent) == ("", "", 20)


@pytest.mark.django_db(transaction=True)
def test_two_librarians_publishing_the_same_series_at_once_make_each_slot_once():
    branch = BranchFactory()
    barrier = threading.Barrier(3)
    outcomes = []

    def publish():
        try:
            barrier.wait()
            result = slots_publish(
                branch=branch,
                kind=Slot.Kind.LEGAL,
                weekday=2,
                start=time(15),
                end=time(17),
                minutes=60,
                first_day=timezone.localdate() + timedelta(days=1),
                weeks=2,
            )
            outcomes.append(len(result.created))
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == [0, 0, 4]
    assert Slot.objects.filter(branch=branch).count() == 4


# --- walk-in cases -----------------------------------------------------------------------------


def walk_in_data(branch, **changes):
    return {"topic": topic("diia"), "branch": branch, "minutes": 15, "resolved": True, **changes}


def test_a_walk_in_logged_again_within_minutes_needs_the_librarian_s_confirmation(
    freeze_now, branch_a, librarian_a
):
    freeze_now(datetime(2026, 3, 2, 10, 0, tzinfo=KYIV))
    walk_in_log(**walk_in_data(branch_a), acting_user=librarian_a)

    with pytest.raises(ValidationError) as refused:
        walk_in_log(**walk_in_data(branch_a, minutes=30), acting_user=librarian_a)
    walk_in_log(**walk_in_data(branch_a), acting_user=librarian_a, confirmed_twin=True)
    freeze_now(datetime(2026, 3, 2, 10, 6, tzinfo=KYIV))
    walk_in_log(**walk_in_data(branch_a), acting_user=librarian_a)

    assert refused.value.messages == [
        "Таке саме звернення ви щойно записали. Якщо це інша людина, підтвердьте."
    ]
    assert WalkIn.objects.count() == 3


def test_only_the_author_corrects_or_deletes_a_walk_in_and_only_on_its_day(
    freeze_now, branch_a, librarian_a, branch_head_a
):
    freeze_now(datetime(2026, 3, 2, 18, 0, tzinfo=KYIV))
    walk_in = walk_in_log(**walk_in_data(branch_a), acting_user=librarian_a)
    correction = {"topic": topic("utilities"), "minutes": 20, "resolved": False}

    with pytest.raises(PermissionDenied):
        walk_in_correct(walk_in=walk_in, acting_user=branch_head_a, date=walk_in.date, **correction)
    with pytest.raises(PermissionDenied):
        walk_in_delete(walk_in=walk_in, acting_user=branch_head_a)
    walk_in_correct(walk_in=walk_in, acting_user=librarian_a, date=walk_in.date, **correction)
    freeze_now(datetime(2026, 3, 3, 9, 0, tzinfo=KYIV))
    with pytest.raises(PermissionDenied):
        walk_in_delete(walk_in=walk_in, acting_user=librarian_a)

    walk_in.refresh_from_db()
    assert (walk_in.topic.slug, walk_in.minutes, walk_in.resolved) == ("utilities", 20, False)
    assert [(e.user, e.change_message) for e in audit_entries_for([walk_in]).order_by("pk")] == [
        (librarian_a, "Звернення записано"),
        (librarian_a, "Виправлено: тема, хвилин, вирішено"),
    ]


def test_walk_ins_logged_before_their_time_was_kept_stay_as_they_are(branch_a, librarian_a):
    old = WalkInFactory(branch=branch_a, logged_by=librarian_a, logged_at=None)

    with pytest.raises(PermissionDenied):
        walk_in_delete(walk_in=old, acting_user=librarian_a)
    assert WalkIn.objects.filter(pk=old.pk).exists()
