"""One audit call: the acting user is required, the entry lives and dies with the change, and
its text names no one."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.urls import reverse

from core.audit import audit_entries_for, audit_log, audit_message, audit_note
from events.models import Registration
from events.services import registration_cancel
from tests.egov.factories import HelpRequestFactory
from tests.events.factories import EventFactory
from tests.volunteers.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_an_entry_without_an_acting_user_is_refused(branch_a):
    request = HelpRequestFactory(branch=branch_a)

    with pytest.raises(ValueError, match="acting user"):
        audit_log(user=None, obj=request, message="Стан: Нова → Виконано")

    assert not LogEntry.objects.exists()


def test_a_change_rolled_back_leaves_no_entry(branch_a, librarian_a):
    request = HelpRequestFactory(branch=branch_a)

    with pytest.raises(RuntimeError), transaction.atomic():
        audit_log(user=librarian_a, obj=request, message="Стан: Нова → Виконано")
        raise RuntimeError("the change failed")

    assert not audit_entries_for([request]).exists()


def test_a_staff_note_is_kept_apart_from_the_message(branch_a, librarian_a):
    request = HelpRequestFactory(branch=branch_a)

    entry = audit_log(
        user=librarian_a, obj=request, message="Стан: Нова → Виконано", note="Дзвонила\nвранці"
    )

    assert audit_message(entry) == "Стан: Нова → Виконано"
    assert audit_note(entry) == "Примітка: Дзвонила вранці"


def test_staff_cancelling_a_registration_is_logged_by_number_not_by_name(
    client, branch_a, librarian_a
):
    event = EventFactory(branch=branch_a, seats_confirmed=1)
    registration = Registration.objects.create(
        event=event,
        name="Зоряна Ткачук",
        email="zoriana@example.org",
        seats=1,
        status="confirmed",
        consent_at=event.published_at,
    )

    registration_cancel(registration=registration, acting_user=librarian_a)

    entry = audit_entries_for([event]).get()
    assert entry.change_message == f"Скасовано реєстрацію № {registration.pk}"
    assert entry.user == librarian_a
    client.force_login(librarian_a)
    history = client.get(reverse("admin:events_event_history", args=[event.pk]))
    assert f"Скасовано реєстрацію № {registration.pk}" in history.content.decode()
    assert "Зоряна" not in history.content.decode()


def test_the_admins_own_entries_name_a_personal_data_record_by_number(branch_a, librarian_a):
    application = ApplicationFactory(branch=branch_a, name="Зоряна Ткачук")

    entry = LogEntry.objects.log_actions(
        user_id=librarian_a.pk,
        queryset=[application],
        action_flag=CHANGE,
        change_message=[{"changed": {"fields": ["Імʼя"]}}],
        single_object=True,
    )

    entry.refresh_from_db()
    assert entry.object_repr == f"Анкета волонтера № {application.pk}"
