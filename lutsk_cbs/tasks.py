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
