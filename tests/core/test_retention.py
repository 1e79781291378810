"""One registry, one command and one nightly task make every app forget old personal data,
in its rows and in the audit log, and keep the numbers."""

from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.core.management import CommandError, call_command
from django.db import models
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from catalog.models import PurchaseSuggestion, SearchLog
from core import retention
from core.audit import audit_entries_for, audit_log
from core.tasks import personal_data_anonymise_task
from egov.models import HelpRequest
from egov.services import help_request_transition
from events.models import ClubMembership, Event, Registration
from events.services import registration_cancel
from tests.egov.factories import BookingFactory, HelpRequestFactory, SlotFactory
from tests.events.factories import ClubFactory, EventFactory, in_days
from tests.volunteers.factories import ApplicationFactory, DeliveryRequestFactory
from volunteers.models import Application, DeliveryRequest
from volunteers.services import application_change_status, delivery_change_status

pytestmark = pytest.mark.django_db

NAME = "Олена Секретна"
EMAIL = "olena.sekretna@example.org"
PHONE = "+380 67 909 81 72"
# Whatever the spelling a row keeps, these pieces of her name and contacts must be gone.
TRACES = ["Секретна", "olena.sekretna", "909 81 72", "9098172"]
LONG_AGO = timedelta(days=40)


def traces_left():
    """Every text column of every table that still holds a piece of her name or contacts."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                column = field.name
                rows = model._default_manager.all()
            elif isinstance(field, models.JSONField):
                column = "as_text"
                rows = model._default_manager.annotate(as_text=Cast(field.name, TextField()))
            else:
                continue
            for trace in TRACES:
                for value in rows.filter(**{f"{column}__icontains": trace}).values_list(
                    column, flat=True
                ):
                    found.append(f"{model._meta.label}.{field.name}: {value}")
    return found


def age(model, pk, **fields):
    model.objects.filter(pk=pk).update(**fields)


def test_after_a_run_no_name_email_or_phone_of_a_closed_case_remains_anywhere(
    branch_a, librarian_a
):
    old = timezone.now() - LONG_AGO
    # Events: a registration for a past event, cancelled by staff, whose cancellation was
    # logged the old way with her name; a club she left; a registration the admin deleted.
    past_event = EventFactory(
        branch=branch_a, starts_at=in_days(-45), status=Event.Status.HELD, seats_confirmed=3
    )
    registration = Registration.objects.create(
        event=past_event, name=NAME, email=EMAIL, phone="+380679098172", seats=2,
        status="confirmed", consent_at=old,
    )  # fmt: skip
    registration_cancel(registration=registration, acting_user=librarian_a)
    LogEntry.objects.log_actions(
        user_id=librarian_a.pk, queryset=[past_event], action_flag=CHANGE,
        change_message=f"Скасовано реєстрацію: {NAME}", single_object=True,
    )  # fmt: skip
    deleted = [
        Registration.objects.create(
            event=past_event,
            name=NAME,
            email=f"other{n}@example.org",
            seats=1,
            status="waitlisted",
            consent_at=old,
        )  # fmt: skip
        for n in range(2)
    ]
    # The admin's bulk delete action logs with bulk_create: `str()`, her name, goes in.
    LogEntry.objects.log_actions(user_id=librarian_a.pk, queryset=deleted, action_flag=DELETION)
    Registration.objects.filter(pk__in=[r.pk for r in deleted]).delete()
    LogEntry.objects.filter(action_flag=DELETION).update(action_time=old)
    ClubMembership.objects.create(
        club=ClubFactory(branch=branch_a), name=NAME, email=EMAIL, phone=PHONE,
        consent_at=old, left_on=timezone.localdate(old),
    )  # fmt: skip
    # Volunteers: an application the admin edited and staff declined with a note naming her;
    # a finished delivery to her home.
    application = ApplicationFactory(branch=branch_a, name=NAME, email=EMAIL, phone=PHONE)
    LogEntry.objects.log_actions(
        user_id=librarian_a.pk, queryset=[application], action_flag=CHANGE,
        change_message=[{"changed": {"fields": ["Імʼя"]}}], single_object=True,
    )  # fmt: skip
    application_change_status(
        application=application, to="declined", acting_user=librarian_a,
        note=f"{NAME} передумала, {PHONE}",
    )  # fmt: skip
    age(Application, application.pk, status_changed_at=old)
    delivery = DeliveryRequestFactory(branch=branch_a, name=NAME, phone=PHONE)
    delivery_change_status(
        delivery=delivery, to="cancelled", acting_user=librarian_a, note=f"Дзвонила {NAME}"
    )
    age(DeliveryRequest, delivery.pk, status_changed_at=old)
    # E-services: a help request closed with a note and an outcome naming her; a booking.
    request = HelpRequestFactory(branch=branch_a, name=NAME, contact=EMAIL)
    help_request_transition(
        request=request, to_status="cancelled", acting_user=librarian_a,
        note=f"{NAME} ({EMAIL}) впоралася сама", outcome=f"{NAME} не прийде",
    )  # fmt: skip
    age(HelpRequest, request.pk, closed_at=old)
    BookingFactory(
        slot=SlotFactory(branch=branch_a, starts_at=old, ends_at=old + timedelta(minutes=30)),
        name=NAME, email=EMAIL, phone=PHONE,
    )  # fmt: skip
    # Catalogue: a purchase suggestion with her e-mail; searches for her own contacts.
    suggestion = PurchaseSuggestion.objects.create(title="Дюна", email=EMAIL, branch=branch_a)
    age(PurchaseSuggestion, suggestion.pk, created_at=old)
    for query in (EMAIL, PHONE):
        SearchLog.objects.create(query=query, normalized=query, hits=0, created_at=old)
    # Someone whose case is still open keeps everything.
    fresh = ApplicationFactory(branch=branch_a, name="Марта Свіжа")
    assert traces_left()

    call_command("anonymise_personal_data", "--days", "30", stdout=StringIO())

    assert traces_left() == []
    fresh.refresh_from_db()
    assert fresh.name == "Марта Свіжа"
    registration.refresh_from_db()
    assert (registration.seats, registration.status) == (2, "cancelled")
    assert SearchLog.objects.filter(hits=0).count() == 2
    entries = audit_entries_for([application]).order_by("pk")
    assert [entry.object_repr for entry in entries] == [f"Анкета волонтера № {application.pk}"] * 2
    assert entries.last().change_message == "Стан: Нова → Відхилено"


def test_a_dry_run_counts_what_a_run_would_change_and_changes_nothing(branch_a):
    ApplicationFactory(
        branch=branch_a, status="declined", status_changed_at=timezone.now() - LONG_AGO
    )
    out = StringIO()

    call_command("anonymise_personal_data", "--days", "30", "--dry-run", "-v2", stdout=out)

    assert "анкети волонтерів: 1" in out.getvalue()
    assert out.getvalue().strip().endswith("Буде знеособлено 1 запис.")
    assert not Application.objects.filter(anonymised_at__isnull=False).exists()


def test_one_failing_app_does_not_stop_the_others_and_the_command_fails(branch_a, monkeypatch):
    application = ApplicationFactory(
        branch=branch_a, status="declined", status_changed_at=timezone.now() - LONG_AGO
    )

    def broken(*, before):
        raise RuntimeError("disk full")

    retention.shredders()  # discover the apps' registrations before adding the broken one
    monkeypatch.setitem(
        retention._registry,
        "aaa.broken",
        retention.Shredder(name="aaa.broken", label="зламане", anonymise=broken),
    )
    err = StringIO()

    with pytest.raises(CommandError, match="Не вдалося знеособити: 1 вид даних."):
        call_command("anonymise_personal_data", "--days", "30", stdout=StringIO(), stderr=err)

    assert "зламане: помилка — disk full" in err.getvalue()
    application.refresh_from_db()
    assert application.anonymised_at is not None


def test_a_negative_retention_period_is_refused():
    with pytest.raises(CommandError, match="не може бути відʼємним"):
        call_command("anonymise_personal_data", "--days", "-1")


def test_the_nightly_task_runs_every_apps_shredders(branch_a, settings, librarian_a):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    request = HelpRequestFactory(
        branch=branch_a, status=HelpRequest.Status.DONE, closed_at=timezone.now() - LONG_AGO
    )
    audit_log(user=librarian_a, obj=request, message="Стан: …", note="Ганна Коваль дякувала")

    result = personal_data_anonymise_task.apply().get()

    assert result["egov.help_requests"] == 1
    assert {
        "core.deleted_objects",
        "catalog.purchase_suggestions",
        "catalog.search_log",
        "events.registrations",
        "events.club_members",
        "volunteers.applications",
        "volunteers.deliveries",
        "egov.bookings",
        "circulation.loans",
        "circulation.holds",
    } <= set(result)
    assert audit_entries_for([request]).get().change_message == "Стан: …"


def test_beat_runs_the_retention_every_night(settings):
    from lutsk_cbs.celery import app

    app.loader.import_default_modules()
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "core.tasks.personal_data_anonymise_task"
    ]

    assert len(entries) == 1
    assert "core.tasks.personal_data_anonymise_task" in app.tasks
