import pytest


@pytest.fixture(autouse=True)
def _tasks_in_place(eager_celery):
    """Mail goes out through a Celery task: run it in place so tests read mail.outbox."""
