import pytest


@pytest.fixture(autouse=True)
def _celery_runs_tasks_in_place(eager_celery):
    # With REDIS_URL set, tasks would wait in Redis for a worker that tests do not start; run
    # them in place so the mail they send can be read from mail.outbox.
    yield
