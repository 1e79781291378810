from datetime import timedelta

from celery import shared_task
from django.utils import timezone


@shared_task
def reset_stale_access_attempts(*, older_than_hours: int = 24) -> int:
    """Forget failed admin sign-ins older than a day: personal data kept no longer than needed."""
    from axes.models import AccessAttempt, AccessFailureLog

    cutoff = timezone.now() - timedelta(hours=older_than_hours)
    deleted, _ = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
    deleted_log, _ = AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()
    return deleted + deleted_log


@shared_task
def branches_open_count() -> int:
    """How many libraries are open right now; used by the worker health check."""
    from branches.models import Branch

    return Branch.objects.open_at(timezone.now()).count()


@shared_task(acks_late=True)
def personal_data_anonymise_task() -> dict:
    """Nightly retention run over every app that keeps names and contacts: cases closed longer
    than PERSONAL_DATA_RETENTION_DAYS lose them; the counts stay for the statistics."""
    from django.conf import settings

    from core.mail import mail_outbox_anonymise
    from egov.services import personal_data_anonymise as egov_anonymise
    from events.services import personal_data_anonymise as events_anonymise
    from volunteers.services import personal_data_anonymise as volunteers_anonymise

    days = settings.PERSONAL_DATA_RETENTION_DAYS
    registrations, members = events_anonymise(before=timezone.now() - timedelta(days=days))
    return {
        "events": {"registrations": registrations, "club_members": members},
        "volunteers": volunteers_anonymise(days=days),
        "egov": egov_anonymise(days=days),
        # Sent mail needs its address only until it is sent; a month covers questions.
        "mail": mail_outbox_anonymise(older_than=timedelta(days=min(days, 30))),
    }
