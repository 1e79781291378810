"""A real Celery worker, talking to the real Redis, runs the project's tasks."""

import os
import subprocess
import sys
import uuid
from datetime import time

import pytest
from django.conf import settings
from django.utils import timezone

from branches.models import OpeningHours
from lutsk_cbs.tasks import branches_open_count
from tests.factories import BranchFactory

needs_redis = pytest.mark.skipif(
    not settings.REDIS_URL and os.environ.get("CI") != "true",
    reason="needs REDIS_URL (a real Redis); CI always sets it",
)


def database_url_for_worker():
    db = settings.DATABASES["default"]
    name = db["TEST"]["NAME"]
    if db["HOST"].startswith("/"):
        return f"postgres://{db['USER']}@/{name}?host={db['HOST']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def worker(transactional_db):
    assert settings.REDIS_URL, "CI=true but REDIS_URL is not set"
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ, DATABASE_URL=database_url_for_worker(), REDIS_URL=settings.REDIS_URL)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "lutsk_cbs",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--queues",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield queue
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@needs_redis
@pytest.mark.redis
def test_a_real_worker_counts_the_libraries_open_now(worker):
    today = timezone.localdate().weekday()
    # Made here: transactional tests may run after others have flushed the seeded libraries.
    OpeningHours.objects.all().delete()
    for branch in (BranchFactory(), BranchFactory()):
        OpeningHours.objects.create(branch=branch, weekday=today, opens=time(0), closes=time(0))

    result = branches_open_count.apply_async(queue=worker)

    # Threaded tests that run tasks eagerly can leave Celery's process-wide "inside a task" flag
    # set (its save/restore is not thread-safe); this test is not inside a task.
    assert result.get(timeout=60, disable_sync_subtasks=False) == 2


def test_without_redis_tasks_run_in_place(settings, db):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from lutsk_cbs.celery import app

    app.conf.task_always_eager = True
    try:
        assert branches_open_count.delay().get(timeout=5, disable_sync_subtasks=False) == 0
    finally:
        app.conf.task_always_eager = not settings.REDIS_URL
