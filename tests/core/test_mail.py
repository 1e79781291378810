"""The one mail path: a row in the outbox with the change, sent after commit, once, in the
language of the page the person used; with the broker down nothing is lost and nothing fails."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from core.mail import (
    MAIL_MAX_ATTEMPTS,
    MAIL_TASK_BATCH,
    MailMessage,
    mail_deliver,
    mail_outbox_anonymise,
    mail_outbox_flush,
    mail_queue_many,
)
from core.models import OutgoingMail
from core.tasks import mail_deliver_many_task, mail_deliver_task
from events.models import Event, Registration
from events.services import registration_create
from lutsk_cbs.celery import app
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "name": "Олена Петренко",
    "email": "olena@example.org",
    "phone": "",
    "seats": "1",
    "consent": "on",
    "website": "",
}


@pytest.fixture(autouse=True)
def _ukrainian():
    # A request to /en/ leaves English active in the thread; reverse() would carry it over.
    with translation.override("uk"):
        yield


@pytest.fixture
def in_place(settings):
    """The mail task runs where it is queued, so what it sends lands in mail.outbox."""
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    yield
    app.conf.task_always_eager = before


def sign_up(event, number=1):
    return registration_create(
        event=event, name=f"Читач {number}", email=f"reader{number}@example.org"
    )


def later(minutes):
    return timezone.now() + timedelta(minutes=minutes)


def test_mail_leaves_only_once_the_sign_up_is_committed(
    in_place, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sign_up(EventFactory())

    waiting = OutgoingMail.objects.get()
    assert (waiting.to, waiting.status) == ("reader1@example.org", OutgoingMail.Status.QUEUED)
    assert mail.outbox == []

    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["reader1@example.org"]]
    waiting.refresh_from_db()
    assert waiting.status == OutgoingMail.Status.SENT
    assert waiting.sent_at is not None


def test_a_change_that_rolled_back_mails_nobody(in_place, django_capture_on_commit_callbacks):
    event = EventFactory()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        sign_up(event)
        raise RuntimeError("the request failed after the sign-up")

    assert not OutgoingMail.objects.exists()
    assert mail.outbox == []


def test_a_task_delivered_twice_mails_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        sign_up(EventFactory())
    waiting = OutgoingMail.objects.get()

    assert mail_deliver_task.apply((waiting.pk,)).get() == "sent"
    assert mail_deliver_task.apply((waiting.pk,)).get() == "skipped"
    assert mail_outbox_flush(now=later(10)) == {}

    assert len(mail.outbox) == 1


def test_a_sign_up_on_the_english_page_is_answered_in_english(
    client, in_place, django_capture_on_commit_callbacks
):
    event = EventFactory()
    with translation.override("en"):
        url = reverse("events:register", args=[event.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, SIGN_UP)

    assert Registration.objects.get().language == "en"
    message = mail.outbox[0]
    assert message.subject.startswith("Registration confirmed:")
    assert "Добрий день" not in message.body
    # The cancel link opens the English page too.
    assert settings.SITE_URL + "/en/events/" in message.body


def test_a_sign_up_on_the_ukrainian_page_is_answered_in_ukrainian(
    client, in_place, django_capture_on_commit_callbacks
):
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:register", args=[event.pk]), SIGN_UP)

    assert mail.outbox[0].subject.startswith("Реєстрацію підтверджено:")
    assert "/en/" not in mail.outbox[0].body


def test_with_the_broker_down_a_sign_up_succeeds_and_its_mail_waits_for_the_flush(
    client, broker_down, django_capture_on_commit_callbacks
):
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:register", args=[event.pk]), SIGN_UP)

    assert response.status_code == 302
    assert Registration.objects.get().status == Registration.Status.CONFIRMED
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.QUEUED
    assert mail.outbox == []

    # The periodic flush leaves fresh rows to their own task, then sends what waited.
    assert mail_outbox_flush() == {}
    assert mail_outbox_flush(now=later(2)) == {"sent": 1}
    assert [m.to for m in mail.outbox] == [["olena@example.org"]]


def test_with_the_broker_down_cancelling_an_event_in_the_admin_works_and_registrants_hear_later(
    client, branch_a, branch_head_a, broker_down, django_capture_on_commit_callbacks
):
    event = EventFactory(branch=branch_a)
    sign_up(event, 1)
    sign_up(event, 2)
    OutgoingMail.objects.all().delete()
    client.force_login(branch_head_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/events/event/",
            {"action": "cancel", "_selected_action": [event.pk]},
            follow=True,
        )

    assert response.status_code == 200
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED).count() == 2
    assert mail.outbox == []

    mail_outbox_flush(now=later(2))
    assert sorted(m.to[0] for m in mail.outbox) == ["reader1@example.org", "reader2@example.org"]
    assert all("скасовано" in m.subject for m in mail.outbox)


def test_a_refused_mail_is_tried_again_later_and_given_up_after_the_last_try(
    django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=False):
        sign_up(EventFactory())
    waiting = OutgoingMail.objects.get()
    # Port 9 on this machine refuses connections: a mail server that is down.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2

    assert mail_deliver(mail_id=waiting.pk) == "failed"
    waiting.refresh_from_db()
    assert waiting.status == OutgoingMail.Status.QUEUED
    assert waiting.attempts == 1
    assert "ConnectionRefusedError" in waiting.last_error
    # Not due again at once: the next try waits.
    assert mail_outbox_flush(now=later(1)) == {}
    assert mail_outbox_flush(now=later(3)) == {"failed": 1}

    for _ in range(MAIL_MAX_ATTEMPTS - 2):
        mail_deliver(mail_id=waiting.pk)
    waiting.refresh_from_db()
    assert waiting.attempts == MAIL_MAX_ATTEMPTS
    assert waiting.status == OutgoingMail.Status.FAILED
    assert mail_outbox_flush(now=later(60 * 24)) == {}


def test_mail_about_a_deleted_sign_up_is_dropped_not_sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        registration = sign_up(EventFactory())
    registration.delete()

    assert mail_deliver(mail_id=OutgoingMail.objects.get().pk) == "dropped"
    assert mail.outbox == []


def test_old_sent_mail_loses_its_address_and_waiting_mail_keeps_it(
    django_capture_on_commit_callbacks,
):
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=False):
        sign_up(event, 1)
        sign_up(event, 2)
    sent, waiting = OutgoingMail.objects.order_by("pk")
    mail_deliver(mail_id=sent.pk)

    assert mail_outbox_anonymise(older_than=timedelta(days=30)) == 0
    assert mail_outbox_anonymise(older_than=timedelta(days=30), now=later(60 * 24 * 31)) == 1

    sent.refresh_from_db()
    waiting.refresh_from_db()
    assert (sent.to, sent.context, sent.status) == ("", {}, OutgoingMail.Status.SENT)
    assert sent.anonymised_at is not None
    assert waiting.to == "reader2@example.org"


def test_the_outbox_is_flushed_every_minute_by_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["mail-outbox-flush"]
    assert entry["task"] == "core.tasks.mail_outbox_flush_task"
    assert entry["schedule"] <= 120
    assert entry["task"] in app.tasks


def test_a_killed_worker_hands_its_mail_back_within_minutes_not_an_hour():
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert options["visibility_timeout"] <= 600
    assert mail_deliver_task.acks_late and mail_deliver_task.reject_on_worker_lost


def test_only_administrators_see_the_outbox_in_the_admin(
    client, librarian_a, django_capture_on_commit_callbacks, django_user_model
):
    with django_capture_on_commit_callbacks(execute=False):
        sign_up(EventFactory())
    client.force_login(librarian_a)
    assert client.get("/admin/core/outgoingmail/").status_code == 403

    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)
    page = client.get("/admin/core/outgoingmail/")
    assert page.status_code == 200
    assert "events/email/registration" in page.content.decode()


# --- many messages at once (mail_queue_many: the nightly lending notices) ----------------------

UNKNOWN_ACCOUNT = "accounts/email/unknown_account"


def messages(count, language="uk"):
    return [
        MailMessage(to=f"reader{n}@example.org", template=UNKNOWN_ACCOUNT, language=language)
        for n in range(count)
    ]


def test_many_messages_wait_in_the_outbox_until_commit_and_then_go_out_a_batch_per_task(
    in_place, django_capture_on_commit_callbacks
):
    count = MAIL_TASK_BATCH * 2 + 5
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rows = mail_queue_many(messages(count))

    assert OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED).count() == count
    assert all(row.pk for row in rows)
    assert len(callbacks) == 3
    assert mail.outbox == []

    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"reader{n}@example.org" for n in range(count)
    )
    assert not OutgoingMail.objects.exclude(status=OutgoingMail.Status.SENT).exists()


def test_many_messages_of_a_change_that_rolled_back_mail_nobody(
    in_place, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        mail_queue_many(messages(3))
        raise RuntimeError("the run failed after queueing")

    assert not OutgoingMail.objects.exists()
    assert mail.outbox == []


def test_each_of_many_messages_is_written_in_its_recipients_language(
    in_place, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue_many(
            [
                MailMessage(to="olena@example.org", template=UNKNOWN_ACCOUNT, language="uk"),
                MailMessage(to="john@example.org", template=UNKNOWN_ACCOUNT, language="en"),
            ]
        )

    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {
        "olena@example.org": "Запит на зміну пароля",
        "john@example.org": "Password change request",
    }


def test_a_batch_task_delivered_twice_mails_each_message_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        rows = mail_queue_many(messages(4))
    ids = [row.pk for row in rows]

    assert mail_deliver_many_task.apply((ids,)).get() == {"sent": 4}
    assert mail_deliver_many_task.apply((ids,)).get() == {"skipped": 4}
    assert mail_outbox_flush(now=later(10)) == {}
    assert len(mail.outbox) == 4
    assert mail_deliver_many_task.acks_late and mail_deliver_many_task.reject_on_worker_lost


def test_with_the_broker_down_many_messages_wait_for_the_flush(
    broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue_many(messages(MAIL_TASK_BATCH + 1))

    assert (
        OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED).count()
        == MAIL_TASK_BATCH + 1
    )
    assert mail.outbox == []
    assert mail_outbox_flush(now=later(2)) == {"sent": MAIL_TASK_BATCH + 1}
    assert len(mail.outbox) == MAIL_TASK_BATCH + 1


def test_one_message_is_queued_as_a_batch_of_one_with_its_own_task(
    django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(mail_deliver_task, "apply_async", lambda args, **kw: queued.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(EventFactory())

    assert queued == [(OutgoingMail.objects.get().pk,)]
