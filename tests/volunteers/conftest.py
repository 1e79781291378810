import pytest
from django.utils import translation

from lutsk_cbs.celery import app


@pytest.fixture(autouse=True)
def _ukrainian_urls():
    # A request to /en/… leaves English active in the thread; reverse() would then build /en/
    # addresses in the next test.
    with translation.override("uk"):
        yield


@pytest.fixture(autouse=True)
def eager_celery(settings):
    """Tasks run in place, so the mail they send lands in mail.outbox (with REDIS_URL set they
    would wait in Redis for a worker the tests do not start)."""
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    yield
    app.conf.task_always_eager = before
