from contextlib import contextmanager


@contextmanager
def unreachable_broker(settings, url="redis://127.0.0.1:1/0"):
    """Publish tasks to a closed port, as when Redis is down (or to `url`, e.g. a server that
    never answers); restores the broker after."""
    from core import mail as core_mail
    from lutsk_cbs.celery import app

    saved = app.conf.broker_url, app.conf.task_always_eager, settings.CELERY_TASK_ALWAYS_EAGER
    app.conf.broker_url = url
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # Connections are pooled per app; the next publish must open one to the closed port.
    app._pool, app.amqp._producer_pool = None, None
    core_mail._broker_down_until = 0.0
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager, settings.CELERY_TASK_ALWAYS_EAGER = saved
        app._pool, app.amqp._producer_pool = None, None
        core_mail._broker_down_until = 0.0
