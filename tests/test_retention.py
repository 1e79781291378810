"""One nightly run makes every app forget old personal data and keep its numbers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from egov.models import HelpRequest
from events.models import Event, Registration
from lutsk_cbs.tasks import personal_data_anonymise_task
from tests.egov.factories import HelpRequestFactory
from tests.events.factories import EventFactory, in_days
from tests.volunteers.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_nightly_run_anonymises_old_closed_cases_of_every_app(branch_a, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    long_ago = timezone.now() - timedelta(days=31)
    application = ApplicationFactory(branch=branch_a, status="declined", status_changed_at=long_ago)
    fresh_application = ApplicationFactory(
        branch=branch_a, status="declined", status_changed_at=timezone.now()
    )
    request = HelpRequestFactory(
        branch=branch_a, status=HelpRequest.Status.DONE, closed_at=long_ago
    )
    past_event = EventFactory(branch=branch_a, starts_at=in_days(-40), status=Event.Status.HELD)
    registration = Registration.objects.create(
        event=past_event,
        name="Олена Ткачук",
        email="olena@example.org",
        seats=3,
        status="confirmed",
        consent_at=long_ago,
    )

    result = personal_data_anonymise_task()

    assert result["events"]["registrations"] == 1
    assert result["volunteers"]["applications"] == 1
    assert result["egov"]["requests"] == 1
    registration.refresh_from_db()
    assert (registration.name, registration.email, registration.seats) == ("", "", 3)
    application.refresh_from_db()
    assert application.anonymised_at is not None
    fresh_application.refresh_from_db()
    assert fresh_application.anonymised_at is None
    request.refresh_from_db()
    assert "Ганна Коваль" not in (request.name, request.contact)


def test_beat_runs_the_retention_every_night(settings):
    from lutsk_cbs.celery import app

    app.loader.import_default_modules()
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "lutsk_cbs.tasks.personal_data_anonymise_task"
    ]

    assert len(entries) == 1
    assert "lutsk_cbs.tasks.personal_data_anonymise_task" in app.tasks
