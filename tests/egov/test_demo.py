"""The demo seed: guides, slots, requests in every state and walk-ins over the plan's years."""

import random

import pytest
from django.conf import settings
from django.db.models.functions import ExtractYear

from egov import demo
from egov.models import Guide, HelpRequest, Slot, WalkIn
from egov.tasks import booking_reminders_send_task

pytestmark = pytest.mark.django_db


def test_the_demo_fills_every_part_of_the_desk_and_adds_nothing_when_run_again(network):
    made = demo.seed(rng=random.Random(1))

    assert made > 0
    assert Guide.objects.count() == len(demo.GUIDES)
    assert set(HelpRequest.objects.values_list("status", flat=True)) == set(HelpRequest.Status)
    years = set(WalkIn.objects.annotate(y=ExtractYear("date")).values_list("y", flat=True))
    assert years == set(range(2016, 2027))
    assert Slot.objects.free().filter(branch=network["a"], is_demo=True).exists()
    assert demo.seed(rng=random.Random(1)) == 0


def test_the_demo_guides_are_found_by_the_search(client, network):
    demo.seed(rng=random.Random(1))

    response = client.get("/e-services/guides/", {"q": "субсидію"})

    assert [guide.slug for guide in response.context["guides"]] == ["social-assistance-online"]


def test_the_reminder_task_is_scheduled_and_runs(network):
    entry = settings.CELERY_BEAT_SCHEDULE["egov-remind-bookings"]

    assert entry["task"] == booking_reminders_send_task.name
    assert booking_reminders_send_task.apply().get() == 0
