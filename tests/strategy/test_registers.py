"""The plan's registers of issue 16 on the strategy side: grant reminders, staff training
linked to staff accounts with yearly plans (plan and actual), study trips, income from paid
services, and the indicators they feed."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from branches.models import PaidService
from core.models import OutgoingMail
from strategy import services
from strategy import stats as strategy_stats
from strategy.models import ExtraIncome, GrantApplication, StudyTrip, TrainingPlan
from strategy.tasks import grant_reminders_send_task
from tests.strategy.factories import TrainingRecordFactory

pytestmark = pytest.mark.django_db


def grant(branch, **fields):
    values = {
        "title": "Медіацентр для підлітків",
        "funder": "Український культурний фонд",
        "branch": branch,
        "author": "Олена К.",
        "deadline": timezone.localdate() + timedelta(days=5),
    }
    return GrantApplication.objects.create(**{**values, **fields})


# --- grant reminders -------------------------------------------------------------------------


def test_the_responsible_librarian_is_mailed_once_five_days_before_the_deadline(
    branch_a, librarian_a, django_capture_on_commit_callbacks, eager_celery
):
    librarian_a.email = "olena@example.org"
    librarian_a.save()
    application = grant(branch_a, responsible=librarian_a)

    with django_capture_on_commit_callbacks(execute=True):
        assert grant_reminders_send_task() == {"deadline": 1, "report": 0}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["olena@example.org"]
    assert message.subject == "Грантова заявка «Медіацентр для підлітків»: до дедлайну 5 днів"
    assert f"/admin/strategy/grantapplication/{application.pk}/" in message.body

    # The next morning's run sends nothing again.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.grants_remind() == {"deadline": 0, "report": 0}
    assert len(mail.outbox) == 1
    application.refresh_from_db()
    assert application.deadline_reminded_at is not None


def test_a_moved_deadline_is_reminded_about_again(branch_a, librarian_a, methodologist):
    librarian_a.email = "olena@example.org"
    librarian_a.save()
    application = grant(branch_a, responsible=librarian_a)
    services.grants_remind()
    application.refresh_from_db()
    application.deadline = timezone.localdate() + timedelta(days=3)
    services.grant_save(grant=application, acting_user=methodologist)
    assert services.grants_remind() == {"deadline": 1, "report": 0}
    assert OutgoingMail.objects.count() == 2


def test_the_report_to_the_funder_is_reminded_once_and_in_the_staff_members_language(
    branch_a, librarian_a, django_capture_on_commit_callbacks, eager_celery
):
    librarian_a.email = "olena@example.org"
    librarian_a.preferred_language = "en"
    librarian_a.save()
    today = timezone.localdate()
    grant(
        branch_a,
        responsible=librarian_a,
        status=GrantApplication.Status.WON,
        deadline=today - timedelta(days=90),
        submitted_on=today - timedelta(days=91),
        decided_on=today - timedelta(days=30),
        amount_won=Decimal("48000"),
        report_due=today + timedelta(days=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.grants_remind() == {"deadline": 0, "report": 1}
        assert services.grants_remind() == {"deadline": 0, "report": 0}
    assert len(mail.outbox) == 1
    assert "1 day left" in mail.outbox[0].subject


def test_no_reminder_far_from_the_deadline_without_a_responsible_or_after_submission(
    branch_a, librarian_a
):
    librarian_a.email = "olena@example.org"
    librarian_a.save()
    today = timezone.localdate()
    grant(branch_a, responsible=librarian_a, deadline=today + timedelta(days=30))
    grant(branch_a, responsible=None)
    grant(
        branch_a,
        responsible=librarian_a,
        status=GrantApplication.Status.SUBMITTED,
        submitted_on=today,
    )
    grant(branch_a, responsible=librarian_a, deadline=today - timedelta(days=1))
    assert services.grants_remind() == {"deadline": 0, "report": 0}
    assert OutgoingMail.objects.count() == 0


def test_the_admin_list_says_how_many_days_are_left_in_ukrainian(client, methodologist, branch_a):
    today = timezone.localdate()
    grant(branch_a, title="П'ять днів", deadline=today + timedelta(days=5))
    grant(branch_a, title="Два дні", deadline=today + timedelta(days=2))
    grant(branch_a, title="Двадцять один", deadline=today + timedelta(days=21))
    client.force_login(methodologist)
    page = client.get(reverse("admin:strategy_grantapplication_changelist")).content.decode()
    assert "до дедлайну 5 днів" in page
    assert "до дедлайну 2 дні" in page
    assert "до дедлайну 21 день" in page


def test_a_status_change_in_the_admin_is_audited(client, methodologist, branch_a):
    application = grant(branch_a)
    client.force_login(methodologist)
    url = reverse("admin:strategy_grantapplication_change", args=[application.pk])
    form = {
        "title": application.title,
        "funder": application.funder,
        "branch": branch_a.pk,
        "author": application.author,
        "status": "submitted",
        "deadline": application.deadline.isoformat(),
        "submitted_on": timezone.localdate().isoformat(),
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    application.refresh_from_db()
    assert application.status == "submitted"
    messages = LogEntry.objects.filter(object_id=str(application.pk)).values_list(
        "change_message", flat=True
    )
    assert "Стан: Готується → Подано" in list(messages)


# --- staff training, plans and study trips ----------------------------------------------------


def test_plan_and_actual_of_training_per_library_and_per_person(branch_a, branch_b, librarian_a):
    librarian_a.first_name, librarian_a.last_name = "Олена", "Ковальчук"
    librarian_a.save()
    TrainingPlan.objects.create(branch=branch_a, year=2024, hours=Decimal("40"), courses=4)
    TrainingPlan.objects.create(
        branch=branch_a, year=2024, staff=librarian_a, hours=Decimal("16"), courses=2
    )
    TrainingRecordFactory(
        branch=branch_a, staff=librarian_a, hours=Decimal("6"), date=date(2024, 3, 1)
    )
    TrainingRecordFactory(
        branch=branch_a, staff=librarian_a, hours=Decimal("4"), date=date(2024, 5, 1)
    )
    TrainingRecordFactory(branch=branch_a, hours=Decimal("8"), date=date(2024, 6, 1))
    TrainingRecordFactory(branch=branch_a, hours=Decimal("100"), date=date(2023, 6, 1))
    TrainingRecordFactory(branch=branch_b, hours=Decimal("3"), date=date(2024, 6, 1))

    report = {row["branch_id"]: row for row in services.training_plan_vs_actual(year=2024)}
    a = report[branch_a.pk]
    assert (a["planned_hours"], a["hours"], a["planned_courses"], a["courses"]) == (56, 18, 6, 3)
    assert a["people"] == [
        {
            "staff_id": librarian_a.pk,
            "name": "Олена Ковальчук",
            "planned_hours": Decimal("16"),
            "planned_courses": 2,
            "hours": Decimal("10"),
            "courses": 2,
        }
    ]
    assert report[branch_b.pk]["planned_hours"] == 0 and report[branch_b.pk]["hours"] == 3
    scoped = services.training_plan_vs_actual(year=2024, branch_ids=[branch_b.pk])
    assert [row["branch_id"] for row in scoped] == [branch_b.pk]


def test_the_plan_and_actual_page_shows_a_librarian_only_their_library(
    client, branch_a, branch_b, branch_head_a, methodologist
):
    TrainingPlan.objects.create(branch=branch_a, year=2024, hours=Decimal("40"))
    TrainingPlan.objects.create(branch=branch_b, year=2024, hours=Decimal("30"))
    url = reverse("admin:strategy_trainingplan_report")
    client.force_login(branch_head_a)
    page = client.get(url, {"year": "2024"}).content.decode()
    assert branch_a.name in page and branch_b.name not in page
    client.force_login(methodologist)
    page = client.get(url, {"year": "2024"}).content.decode()
    assert branch_a.name in page and branch_b.name in page
    for junk in ("9999", "\x00", "1" * 40, "-5"):
        assert client.get(url, {"year": junk}).status_code == 200


def test_a_training_record_takes_the_staff_members_name_and_keeps_it_after_they_leave(
    branch_a, librarian_a, methodologist
):
    librarian_a.first_name, librarian_a.last_name = "Устина", "Ковальчук"
    librarian_a.save()
    record = TrainingRecordFactory.build(
        branch=branch_a, staff=librarian_a, person="", date=date(2024, 3, 1)
    )
    services.register_save(obj=record, acting_user=methodologist)
    assert record.person == "Устина Ковальчук"
    librarian_a.delete()
    record.refresh_from_db()
    assert record.staff is None and record.person == "Устина Ковальчук"


def test_a_librarian_picks_only_colleagues_of_their_library(
    client, branch_a, librarian_a, librarian_b, branch_head_a
):
    client.force_login(branch_head_a)
    for model in ("trainingrecord", "trainingplan", "studytrip", "grantapplication"):
        page = client.get(reverse(f"admin:strategy_{model}_add")).content.decode()
        assert "librarian_a" in page or librarian_a.get_full_name() in page, model
        assert "librarian_b" not in page and (
            not librarian_b.get_full_name() or librarian_b.get_full_name() not in page
        ), model


def test_staff_of_one_library_do_not_see_anothers_study_trips_or_training(
    client, branch_a, branch_b, branch_head_a
):
    StudyTrip.objects.create(
        branch=branch_b, date=date(2024, 4, 1), destination="Люблін", purpose="Досвід"
    )
    TrainingRecordFactory(branch=branch_b, person="Чужа Працівниця")
    client.force_login(branch_head_a)
    page = client.get(reverse("admin:strategy_studytrip_changelist")).content.decode()
    assert "Люблін" not in page
    page = client.get(reverse("admin:strategy_trainingrecord_changelist")).content.decode()
    assert "Чужа Працівниця" not in page


def test_hours_per_staff_member_and_study_trips_indicators(
    branch_a, branch_b, librarian_a, branch_head_a, librarian_b
):
    TrainingRecordFactory(branch=branch_a, hours=Decimal("10"), date=date(2024, 3, 1))
    TrainingRecordFactory(branch=branch_a, hours=Decimal("5"), date=date(2024, 4, 1))
    TrainingRecordFactory(branch=branch_b, hours=Decimal("3"), date=date(2024, 4, 1))
    # Library A has two staff members, B one: 7.5 and 3 hours; the network 18 / 3 = 6.
    assert strategy_stats.training_hours_per_staff(years=[2024]) == {
        (branch_a.pk, 2024): Decimal("7.5"),
        (branch_b.pk, 2024): Decimal("3.0"),
        (None, 2024): Decimal("6.0"),
    }
    for day in (date(2024, 4, 1), date(2024, 9, 1), date(2023, 9, 1)):
        StudyTrip.objects.create(branch=branch_a, date=day, destination="Львів", purpose="Досвід")
    assert strategy_stats.study_trips(years=[2023, 2024]) == {
        (branch_a.pk, 2023): 1,
        (branch_a.pk, 2024): 2,
    }


# --- income from paid services ------------------------------------------------------------------


def test_income_from_a_paid_service_must_be_of_that_kind_and_that_library(
    branch_a, branch_b, methodologist
):
    from django.core.exceptions import ValidationError

    copying = PaidService.objects.create(branch=branch_a, name="Ксерокопіювання", price=2)
    income = ExtraIncome(
        branch=branch_a,
        kind=ExtraIncome.Kind.PAID_SERVICES,
        date=date(2024, 5, 1),
        amount=Decimal("120"),
        paid_service=copying,
    )
    services.register_save(obj=income, acting_user=methodologist)
    assert copying.income.get() == income

    for wrong in (
        ExtraIncome(branch=branch_b, kind="paid_services", date=date(2024, 5, 1), amount=1),
        ExtraIncome(branch=branch_a, kind="charity", date=date(2024, 5, 1), amount=1),
    ):
        wrong.paid_service = copying
        with pytest.raises(ValidationError):
            services.register_save(obj=wrong, acting_user=methodologist)
