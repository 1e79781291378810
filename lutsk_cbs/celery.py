import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lutsk_cbs.settings")

app = Celery("lutsk_cbs")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
