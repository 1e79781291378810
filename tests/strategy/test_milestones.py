"""Milestone status rules: overdue follows from the date, moves between statuses are limited,
and every change is logged with who made it and when."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from core.audit import audit_entries_for
from strategy.models import Milestone
from strategy.services import milestone_save, milestone_set_status
from tests.strategy.factories import MilestoneFactory

pytestmark = pytest.mark.django_db


def test_an_open_milestone_past_its_date_is_overdue_and_a_done_one_is_not(freeze_now):
    freeze_now(datetime(2020, 7, 1, 9, tzinfo=UTC))
    late = MilestoneFactory(due_date=date(2020, 6, 30))
    on_time = MilestoneFactory(due_date=date(2020, 7, 1))
    finished = MilestoneFactory(
        due_date=date(2020, 1, 1), status=Milestone.Status.DONE, completed_on=date(2020, 1, 1)
    )
    assert late.overdue and not on_time.overdue and not finished.overdue
    assert list(Milestone.objects.overdue()) == [late]


def test_marking_a_milestone_done_records_the_day_and_who_did_it(methodologist, freeze_now):
    freeze_now(datetime(2021, 3, 5, 10, tzinfo=UTC))
    milestone = MilestoneFactory()
    milestone_set_status(
        milestone=milestone,
        status=Milestone.Status.DONE,
        acting_user=methodologist,
        note="Акт виконаних робіт підписано",
    )
    milestone.refresh_from_db()
    assert milestone.completed_on == date(2021, 3, 5)
    change = audit_entries_for([milestone]).get()
    assert change.change_message == "Стан: Заплановано → Виконано"
    assert change.user == methodologist
    assert milestone.notes.get().text == "Акт виконаних робіт підписано"


def test_a_dropped_milestone_cannot_jump_straight_to_done(methodologist):
    milestone = MilestoneFactory(status=Milestone.Status.DROPPED)
    with pytest.raises(ValidationError, match="не можна перевести"):
        milestone_set_status(
            milestone=milestone, status=Milestone.Status.DONE, acting_user=methodologist
        )
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.DROPPED
    assert not audit_entries_for([milestone]).exists()


def test_reopening_a_done_milestone_clears_its_completion_day(methodologist):
    milestone = MilestoneFactory(status=Milestone.Status.DONE, completed_on=date(2020, 1, 1))
    milestone_set_status(
        milestone=milestone, status=Milestone.Status.IN_PROGRESS, acting_user=methodologist
    )
    milestone.refresh_from_db()
    assert milestone.completed_on is None


def test_moving_the_due_date_is_logged(methodologist):
    milestone = milestone_save(
        milestone=MilestoneFactory.build(due_date=date(2020, 6, 30)), acting_user=methodologist
    )
    milestone.due_date = date(2021, 6, 30)
    milestone_save(milestone=milestone, acting_user=methodologist)
    log = list(
        audit_entries_for([milestone]).order_by("pk").values_list("change_message", flat=True)
    )
    assert log == ["Створено, стан «Заплановано»", "Термін: 30.06.2020 → 30.06.2021"]


def test_the_database_refuses_a_done_milestone_without_a_completion_day():
    with pytest.raises(IntegrityError):
        MilestoneFactory(status=Milestone.Status.DONE, completed_on=None)
