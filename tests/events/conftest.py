import pytest
from django.utils import translation

from lutsk_cbs.celery import app


@pytest.fixture(autouse=True)
def _ukrainian_urls():
    # A request to /en/… leaves English active in the thread, and reverse() would then build
    # /en/ addresses in the next test.
    with translation.override("uk"):
        yield


@pytest.fixture(autouse=True)
def _celery_runs_tasks_in_place(settings):
    # With REDIS_URL set, tasks would wait in Redis for a worker that tests do not start; run
    # them in place so the mail they send can be read from mail.outbox.
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    yield
    app.conf.task_always_eager = before
