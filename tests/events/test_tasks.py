"""Notices go through a real Celery worker and the real Redis, as in production."""

import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings

from events.models import Event
from events.services import event_set_status, registration_create
from tests.broker import unreachable_broker
from tests.events.factories import EventFactory
from tests.factories import BranchFactory
from tests.test_celery import database_url_for_worker, needs_redis


@pytest.fixture
def mail_worker(transactional_db, tmp_path):
    """A worker on its own queue that writes mail to files in tmp_path."""
    queue = f"test-events-{uuid.uuid4().hex[:8]}"
    env = dict(
        os.environ,
        DATABASE_URL=database_url_for_worker(),
        REDIS_URL=settings.REDIS_URL,
        # Four slashes: the URL parser keeps an absolute path only after an empty host.
        EMAIL_URL=f"filemail:///{tmp_path}",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "lutsk_cbs", "worker", "--pool=solo"]
        + ["--queues", queue, "--without-heartbeat", "--without-gossip", "--without-mingle"]
        + ["--loglevel=WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield queue, tmp_path
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@needs_redis
@pytest.mark.redis
def test_a_real_worker_mails_the_cancellation_to_everyone_registered(mail_worker, settings):
    from core.models import OutgoingMail
    from core.tasks import mail_deliver_task
    from lutsk_cbs.celery import app

    queue, outbox = mail_worker
    # Made here: transactional tests may run after others have flushed the seeded libraries.
    event = EventFactory(branch=BranchFactory())
    # The events conftest runs tasks in place; the broker is out of reach while registering
    # and cancelling, so the notices wait in the outbox for this test's worker.
    with unreachable_broker(settings):
        registration_create(event=event, name="Оксана", email="oksana@example.org")
        registration_create(event=event, name="Петро", phone="0501112233")
        OutgoingMail.objects.all().delete()
        event_set_status(event=event, status=Event.Status.CANCELLED)
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False

    (notice,) = OutgoingMail.objects.all()
    result = mail_deliver_task.apply_async((notice.pk,), queue=queue)

    # The in-place tasks above mark this thread as a worker; the guard is not for this test.
    assert result.get(timeout=60, disable_sync_subtasks=False) == "sent"
    written = "".join(path.read_text() for path in outbox.iterdir())
    assert "oksana@example.org" in written
    assert "0501112233" not in written
