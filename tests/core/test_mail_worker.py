"""A worker killed with kill -9 while sending: another worker gets the task within seconds (here;
CELERY_VISIBILITY_TIMEOUT in production) and the message goes out once."""

import os
import socket
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings

from core.models import OutgoingMail
from core.tasks import mail_deliver_task
from lutsk_cbs.celery import app
from tests.events.factories import EventFactory
from tests.factories import BranchFactory
from tests.test_celery import database_url_for_worker, needs_redis


def start_worker(queue, *, email_url):
    env = dict(
        os.environ,
        DATABASE_URL=database_url_for_worker(),
        REDIS_URL=settings.REDIS_URL,
        EMAIL_URL=email_url,
        # Seconds, so that the test sees the redelivery a production worker makes in minutes.
        CELERY_VISIBILITY_TIMEOUT="3",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "lutsk_cbs", "worker", "--pool=solo"]
        + ["--queues", queue, "--without-heartbeat", "--without-gossip", "--without-mingle"]
        + ["--loglevel=WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@needs_redis
@pytest.mark.redis
def test_a_worker_killed_while_sending_has_its_mail_sent_once_by_another(
    transactional_db, tmp_path, settings
):
    before = app.conf.task_always_eager
    app.conf.task_always_eager = False
    # A mail server that takes the connection and never answers: the first worker hangs there.
    silent_server = socket.create_server(("127.0.0.1", 0))
    silent_server.settimeout(60)
    port = silent_server.getsockname()[1]
    queue = f"test-mail-{uuid.uuid4().hex[:8]}"
    event = EventFactory(branch=BranchFactory())
    registration = event.registrations.create(
        name="Оксана", email="oksana@example.org", status="confirmed", consent_at=event.starts_at
    )
    # Written as mail_send writes it, without its after-commit task: this test queues it.
    waiting = OutgoingMail.objects.create(
        to="oksana@example.org",
        language="uk",
        template="events/email/registration",
        context={
            "registration": {"$model": "events.registration", "pk": registration.pk},
            "kind": "confirmed",
        },
    )
    first = start_worker(queue, email_url=f"smtp://127.0.0.1:{port}")
    second = None
    try:
        mail_deliver_task.apply_async((waiting.pk,), queue=queue)
        connection, _ = silent_server.accept()  # the first worker is sending now
        first.kill()
        first.wait(timeout=20)
        connection.close()

        second = start_worker(queue, email_url=f"filemail:///{tmp_path}")
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline:
            waiting.refresh_from_db()
            if waiting.status == OutgoingMail.Status.SENT:
                break
            time.sleep(0.5)
        assert waiting.status == OutgoingMail.Status.SENT
        time.sleep(4)  # longer than the visibility timeout: a second redelivery would show
        written = "".join(path.read_text() for path in tmp_path.iterdir())
        assert written.count("To: oksana@example.org") == 1
    finally:
        app.conf.task_always_eager = before
        silent_server.close()
        stop(first)
        if second is not None:
            stop(second)
