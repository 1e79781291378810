"""Admin: plans copied into new ones, milestone changes logged, people's training records
visible only to staff of their library."""

from datetime import date

import pytest

from accounts.models import StaffProfile
from core.audit import audit_entries_for
from strategy.models import Milestone, Plan
from tests.factories import make_staff
from tests.strategy.factories import MilestoneFactory, TrainingRecordFactory

pytestmark = pytest.mark.django_db


def test_a_new_plan_can_take_the_directions_of_the_previous_one(admin_client):
    previous = Plan.objects.get(slug="2016-2021")
    response = admin_client.post(
        "/admin/strategy/plan/add/",
        {
            "title_uk": "План на 2022–2027 роки",
            "slug": "2022-2027",
            "period_start": 2022,
            "period_end": 2027,
            "copy_from": previous.pk,
            "directions-TOTAL_FORMS": 0,
            "directions-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = Plan.objects.get(slug="2022-2027")
    assert plan.directions.count() == 16
    family = plan.directions.get(number=13)
    assert (family.period_start, family.period_end) == (2022, 2027)
    assert family.participants.count() == 7
    assert family.indicators.count() == previous.directions.get(number=13).indicators.count()


def _milestone_form(milestone, **changes):
    data = {
        "direction": milestone.direction_id,
        "title": milestone.title,
        "due_date": milestone.due_date.isoformat(),
        "branch": milestone.branch_id or "",
        "status": milestone.status,
        "notes-TOTAL_FORMS": 0,
        "notes-INITIAL_FORMS": 0,
        "changes-TOTAL_FORMS": 0,
        "changes-INITIAL_FORMS": 0,
    }
    data.update(changes)
    return data


def test_a_status_change_in_admin_is_logged_with_the_methodologist(client, methodologist):
    milestone = MilestoneFactory()
    client.force_login(methodologist)
    response = client.post(
        f"/admin/strategy/milestone/{milestone.pk}/change/",
        _milestone_form(milestone, status="in_progress"),
    )
    assert response.status_code == 302
    change = audit_entries_for([milestone]).get(change_message__startswith="Стан:")
    assert change.user == methodologist and change.change_message.endswith("→ Виконується")


def test_admin_refuses_an_impossible_status_move_with_a_clear_message(client, methodologist):
    milestone = MilestoneFactory(status=Milestone.Status.DROPPED)
    client.force_login(methodologist)
    response = client.post(
        f"/admin/strategy/milestone/{milestone.pk}/change/",
        _milestone_form(milestone, status="done"),
    )
    assert response.status_code == 200
    assert "не можна перевести" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.DROPPED


def test_staff_of_another_library_do_not_see_its_peoples_training(
    client, branch_a, branch_b, librarian_b
):
    TrainingRecordFactory(person="Олена Ковальчук", branch=branch_a)
    TrainingRecordFactory(person="Ірина Мельник", branch=branch_b, date=date(2020, 1, 1))
    head_b = make_staff(
        username="head_b",
        role=StaffProfile.Role.BRANCH_HEAD,
        branch=branch_b,
        group_name="Завідувач філії",
    )
    client.force_login(head_b)
    html = client.get("/admin/strategy/trainingrecord/").content.decode()
    assert "Ірина Мельник" in html and "Олена Ковальчук" not in html
    client.force_login(librarian_b)
    assert client.get("/admin/strategy/trainingrecord/").status_code == 403


def test_a_branch_head_enters_manual_figures_only_for_their_library(
    client, branch_head_a, branch_b
):
    from strategy.models import ManualValue, Metric

    client.force_login(branch_head_a)
    visits = Metric.objects.get(code="manual.visits")
    response = client.post(
        "/admin/strategy/manualvalue/add/",
        {"metric": visits.pk, "branch": branch_b.pk, "year": 2021, "value": "1500", "note": ""},
    )
    assert response.status_code == 200  # branch B is not among the choices
    response = client.post(
        "/admin/strategy/manualvalue/add/",
        {
            "metric": visits.pk,
            "branch": branch_head_a.staff_profile.branch_id,
            "year": 2021,
            "value": "1500",
            "note": "",
        },
    )
    assert response.status_code == 302
    value = ManualValue.objects.get()
    assert value.entered_by == branch_head_a and value.branch_id != branch_b.pk
