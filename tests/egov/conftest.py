import pytest
from django.utils import translation

from lutsk_cbs.celery import app


@pytest.fixture(autouse=True)
def _ukrainian():
    # A request to an /en/ page leaves English active in this thread; mail and messages here
    # are checked in Ukrainian unless a test says otherwise.
    with translation.override("uk"):
        yield


@pytest.fixture(autouse=True)
def _celery_runs_tasks_in_place(settings):
    # With REDIS_URL set, the mail task would wait in Redis for a worker that tests do not
    # start; run it in place so the mail can be read from mail.outbox.
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    yield
    app.conf.task_always_eager = before
