import threading
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone

from core.audit import audit_entries_for
from core.models import OutgoingMail
from tests.factories import BranchFactory
from tests.volunteers.factories import (
    ApplicationFactory,
    DeliveryRequestFactory,
    HoursEntryFactory,
    OpportunityFactory,
)
from volunteers import services
from volunteers.models import Application, DeliveryRequest, Opportunity, SignUp
from volunteers.tasks import send_reminders_task

pytestmark = pytest.mark.django_db


def minor_birth_year():
    return timezone.localdate().year - 15


def test_database_refuses_a_minor_without_guardian_consent(branch_a):
    with pytest.raises(IntegrityError):
        ApplicationFactory(branch=branch_a, birth_year=minor_birth_year())


def test_database_accepts_a_minor_with_guardian_name_contact_and_consent(branch_a):
    application = ApplicationFactory(
        branch=branch_a,
        birth_year=minor_birth_year(),
        guardian_name="Мати Тестова",
        guardian_contact="+380 50 111 11 11",
        guardian_consent_at=timezone.now(),
    )
    assert application.is_minor


def test_someone_who_turns_18_this_year_needs_no_guardian(branch_a):
    application = ApplicationFactory(branch=branch_a, birth_year=timezone.localdate().year - 18)
    assert not application.is_minor


def test_new_application_is_contacted_then_activated_and_each_step_is_logged(branch_a, librarian_a):
    application = ApplicationFactory(branch=branch_a)
    services.application_change_status(
        application=application, to="contacted", acting_user=librarian_a, note="Дзвонили"
    )
    services.application_change_status(
        application=application, to="active", acting_user=librarian_a
    )
    application.refresh_from_db()
    assert application.status == Application.Status.ACTIVE
    log = list(
        audit_entries_for([application])
        .order_by("pk")
        .values_list("change_message", "user", "object_repr")
    )
    assert log == [
        (
            "Стан: Нова → Звʼязалися\nПримітка: Дзвонили",
            librarian_a.pk,
            f"Анкета волонтера № {application.pk}",
        ),
        (
            "Стан: Звʼязалися → Активний волонтер",
            librarian_a.pk,
            f"Анкета волонтера № {application.pk}",
        ),
    ]


def test_a_new_application_cannot_jump_straight_to_active(branch_a, librarian_a):
    application = ApplicationFactory(branch=branch_a)
    with pytest.raises(ValidationError, match="не можна"):
        services.application_change_status(
            application=application, to="active", acting_user=librarian_a
        )
    application.refresh_from_db()
    assert application.status == "new"
    assert not audit_entries_for([application]).exists()


def test_a_declined_application_stays_declined(branch_a, librarian_a):
    application = ApplicationFactory(branch=branch_a, status="declined")
    for target in ("new", "contacted", "active", "inactive"):
        with pytest.raises(ValidationError):
            services.application_change_status(
                application=application, to=target, acting_user=librarian_a
            )


def test_activation_mails_the_volunteer_a_personal_link(
    branch_a, librarian_a, django_capture_on_commit_callbacks, eager_celery
):
    application = ApplicationFactory(branch=branch_a, status="contacted")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_change_status(
            application=application, to="active", acting_user=librarian_a
        )
    application.refresh_from_db()
    assert application.access_token
    assert len(mail.outbox) == 1
    assert application.get_personal_url() in mail.outbox[0].body
    assert mail.outbox[0].to == [application.email]


def test_personal_link_mail_is_written_in_the_language_of_the_form(
    branch_a, librarian_a, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(branch=branch_a, active=True, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_reissue_link(application=application, acting_user=librarian_a)
    assert "personal link" in mail.outbox[0].subject.lower()
    # The link opens the personal page in English too.
    assert "/en/volunteers/" in mail.outbox[0].body


def test_an_active_volunteer_signs_up_and_takes_a_place(branch_a):
    opportunity = OpportunityFactory(branch=branch_a, places=2)
    volunteer = ApplicationFactory(branch=branch_a, active=True)
    services.opportunity_sign_up(opportunity=opportunity, volunteer=volunteer)
    opportunity.refresh_from_db()
    assert opportunity.taken == 1
    assert opportunity.places_left == 1


def test_no_sign_up_beyond_the_places(branch_a):
    opportunity = OpportunityFactory(branch=branch_a, places=1)
    services.opportunity_sign_up(
        opportunity=opportunity, volunteer=ApplicationFactory(branch=branch_a, active=True)
    )
    with pytest.raises(services.SignUpError, match="Усі місця"):
        services.opportunity_sign_up(
            opportunity=opportunity, volunteer=ApplicationFactory(branch=branch_a, active=True)
        )
    assert SignUp.objects.count() == 1


def test_a_new_applicant_cannot_sign_up_yet(branch_a):
    opportunity = OpportunityFactory(branch=branch_a)
    with pytest.raises(services.SignUpError, match="активні"):
        services.opportunity_sign_up(
            opportunity=opportunity, volunteer=ApplicationFactory(branch=branch_a)
        )


def test_a_volunteer_cannot_sign_up_twice_or_for_a_past_opportunity(branch_a):
    volunteer = ApplicationFactory(branch=branch_a, active=True)
    opportunity = OpportunityFactory(branch=branch_a, places=5)
    services.opportunity_sign_up(opportunity=opportunity, volunteer=volunteer)
    with pytest.raises(services.SignUpError, match="вже записані"):
        services.opportunity_sign_up(opportunity=opportunity, volunteer=volunteer)
    past = OpportunityFactory(branch=branch_a, starts_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(services.SignUpError, match="вже не можна"):
        services.opportunity_sign_up(opportunity=past, volunteer=volunteer)


def test_cancelling_a_sign_up_frees_the_place(branch_a):
    opportunity = OpportunityFactory(branch=branch_a, places=1)
    signup = services.opportunity_sign_up(
        opportunity=opportunity, volunteer=ApplicationFactory(branch=branch_a, active=True)
    )
    services.signup_cancel(signup=signup)
    opportunity.refresh_from_db()
    assert opportunity.taken == 0
    services.opportunity_sign_up(
        opportunity=opportunity, volunteer=ApplicationFactory(branch=branch_a, active=True)
    )


def test_database_refuses_more_taken_places_than_places(branch_a):
    opportunity = OpportunityFactory(branch=branch_a, places=1)
    with pytest.raises(IntegrityError):
        Opportunity.objects.filter(pk=opportunity.pk).update(taken=2)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_sign_ups_never_exceed_the_places():
    branch = BranchFactory()
    opportunity = OpportunityFactory(branch=branch, places=3)
    volunteers = [ApplicationFactory(branch=branch, active=True) for _ in range(8)]
    barrier = threading.Barrier(len(volunteers))
    outcomes = []

    def sign_up(volunteer):
        try:
            barrier.wait()
            services.opportunity_sign_up(opportunity=opportunity, volunteer=volunteer)
            outcomes.append("ok")
        except services.SignUpError:
            outcomes.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(v,)) for v in volunteers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    opportunity.refresh_from_db()
    assert sorted(outcomes) == ["full"] * 5 + ["ok"] * 3
    assert SignUp.objects.filter(opportunity=opportunity).count() == 3
    assert opportunity.taken == 3


def test_volunteer_totals_count_approved_and_waiting_hours_apart(branch_a, librarian_a):
    volunteer = ApplicationFactory(branch=branch_a, active=True)
    services.hours_log(
        volunteer=volunteer,
        branch=branch_a,
        activity="events",
        date=timezone.localdate(),
        hours=Decimal("2.5"),
    )
    waiting = services.hours_log(
        volunteer=volunteer,
        branch=branch_a,
        activity="book_repair",
        date=timezone.localdate(),
        hours=Decimal("4"),
    )
    services.hours_approve(entries=[waiting], acting_user=librarian_a)
    assert services.volunteer_totals(volunteer) == {
        "approved": Decimal("4"),
        "pending": Decimal("2.5"),
    }


def test_database_refuses_more_than_24_hours_in_an_entry(branch_a):
    with pytest.raises(IntegrityError):
        HoursEntryFactory(branch=branch_a, hours=25)


def test_a_delivery_is_assigned_to_an_active_volunteer_then_delivered(branch_b, librarian_b):
    delivery = DeliveryRequestFactory(branch=branch_b)
    volunteer = ApplicationFactory(branch=branch_b, active=True)
    services.delivery_change_status(
        delivery=delivery, to="assigned", volunteer=volunteer, acting_user=librarian_b
    )
    services.delivery_change_status(delivery=delivery, to="delivered", acting_user=librarian_b)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryRequest.Status.DELIVERED
    assert delivery.volunteer == volunteer
    assert delivery.delivered_at is not None
    assert audit_entries_for([delivery]).filter(user=librarian_b).count() == 2


def test_a_delivery_cannot_be_assigned_to_someone_not_yet_a_volunteer(branch_b, librarian_b):
    delivery = DeliveryRequestFactory(branch=branch_b)
    with pytest.raises(ValidationError, match="активного"):
        services.delivery_change_status(
            delivery=delivery,
            to="assigned",
            volunteer=ApplicationFactory(branch=branch_b),
            acting_user=librarian_b,
        )


def test_a_new_delivery_cannot_be_marked_delivered(branch_b, librarian_b):
    delivery = DeliveryRequestFactory(branch=branch_b)
    with pytest.raises(ValidationError):
        services.delivery_change_status(delivery=delivery, to="delivered", acting_user=librarian_b)


def test_reminders_go_once_to_volunteers_signed_up_for_tomorrow(
    branch_a, freeze_now, django_capture_on_commit_callbacks
):
    from datetime import datetime

    from core.tz import KYIV as kyiv

    freeze_now(datetime(2026, 5, 11, 10, 0, tzinfo=kyiv))
    tomorrow = OpportunityFactory(
        branch=branch_a, title="Ремонт книг", starts_at=datetime(2026, 5, 12, 9, 0, tzinfo=kyiv)
    )
    later = OpportunityFactory(branch=branch_a, starts_at=datetime(2026, 5, 14, 9, 0, tzinfo=kyiv))
    volunteer = ApplicationFactory(branch=branch_a, active=True)
    services.opportunity_sign_up(opportunity=tomorrow, volunteer=volunteer)
    services.opportunity_sign_up(opportunity=later, volunteer=volunteer)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders_task() == 1
        assert send_reminders_task() == 0
    assert len(mail.outbox) == 1
    assert "Ремонт книг" in mail.outbox[0].subject
    assert volunteer.get_personal_url() in mail.outbox[0].body


def test_anonymising_strips_old_closed_cases_and_keeps_the_rest(branch_a):
    long_ago = timezone.now() - timedelta(days=400)
    old_declined = ApplicationFactory(
        branch=branch_a, status="declined", status_changed_at=long_ago, notes="телефонувати ввечері"
    )
    old_minor = ApplicationFactory(
        branch=branch_a,
        status="inactive",
        status_changed_at=long_ago,
        birth_year=minor_birth_year(),
        guardian_name="Батько",
        guardian_contact="+380",
        guardian_consent_at=long_ago,
        guardian_consent_how="згода, підписана батьком",
    )
    active = ApplicationFactory(branch=branch_a, active=True, status_changed_at=long_ago)
    recent = ApplicationFactory(branch=branch_a, status="declined")
    delivered = DeliveryRequestFactory(
        branch=branch_a,
        status="delivered",
        volunteer=active,
        status_changed_at=long_ago,
        delivered_at=long_ago,
    )
    before = timezone.now() - timedelta(days=365)
    assert services.applications_anonymise(before=before) == 2
    assert services.deliveries_anonymise(before=before) == 1
    for application in (old_declined, old_minor):
        application.refresh_from_db()
        assert application.name == "—"
        assert application.email == application.phone == application.notes == ""
        assert application.guardian_name == application.guardian_consent_how == ""
        assert application.birth_year  # the year stays for statistics
    delivered.refresh_from_db()
    assert delivered.address == "—" and delivered.phone == ""
    active.refresh_from_db()
    recent.refresh_from_db()
    assert active.name != "—" and recent.name != "—"


def test_anonymise_command_dry_run_changes_nothing_and_says_what_it_would_do(branch_a, branch_b):
    for days_ago in (40, 41):
        ApplicationFactory(
            branch=branch_a,
            status="declined",
            status_changed_at=timezone.now() - timedelta(days=days_ago),
        )
    DeliveryRequestFactory(
        branch=branch_b,
        status="cancelled",
        status_changed_at=timezone.now() - timedelta(days=40),
    )
    out = StringIO()
    call_command("anonymise_personal_data", "--days", "30", "--dry-run", stdout=out)
    assert "анкети волонтерів: 2" in out.getvalue()
    assert "заявки на доставку книг додому: 1" in out.getvalue()
    assert "Буде знеособлено 3 записи." in out.getvalue()
    assert not Application.objects.filter(name="—").exists()

    out = StringIO()
    call_command("anonymise_personal_data", "--days", "30", stdout=out)
    assert "Знеособлено 3 записи." in out.getvalue()
    assert Application.objects.filter(name="—").count() == 2

    out = StringIO()
    call_command("anonymise_personal_data", "--days", "30", stdout=out)
    assert "Знеособлено 0 записів." in out.getvalue()


def test_beat_schedules_the_reminders(settings):
    from lutsk_cbs.celery import app

    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for task in ("volunteers.tasks.send_reminders_task",):
        assert task in scheduled
        assert task in app.tasks


# --- minors: age and the guardian's consent ----------------------------------------------------


def minor_with_guardian(branch, **fields):
    defaults = {
        "status": "contacted",
        "birth_year": minor_birth_year(),
        "email": "",
        "guardian_name": "Мати Тестова",
        "guardian_contact": "mama@example.org",
    }
    return ApplicationFactory(branch=branch, **{**defaults, **fields})


def test_the_database_refuses_a_child_under_14_but_keeps_a_declined_application(branch_a):
    thirteen = timezone.localdate().year - 13
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationFactory(branch=branch_a, birth_year=thirteen, **GUARDIAN)
    declined = ApplicationFactory(
        branch=branch_a, birth_year=thirteen, status="declined", **GUARDIAN
    )
    assert declined.pk


GUARDIAN = {"guardian_name": "Мати Тестова", "guardian_contact": "+380 50 111 11 11"}


def test_activation_of_a_minor_is_refused_until_staff_record_the_guardian_s_consent(
    branch_a, librarian_a, django_capture_on_commit_callbacks, eager_celery
):
    applicant = minor_with_guardian(branch_a)

    with pytest.raises(ValidationError) as refused:
        services.application_change_status(
            application=applicant, to="active", acting_user=librarian_a
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.application_guardian_consent_record(
            application=applicant, acting_user=librarian_a, how="паперова згода № 17"
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.application_change_status(
            application=applicant, to="active", acting_user=librarian_a
        )

    assert refused.value.messages == [
        "Волонтерові менше 18 років: активувати можна лише після того, як працівник внесе згоду "
        "батьків або опікуна — як її отримано (наприклад, номер паперової згоди)."
    ]
    applicant.refresh_from_db()
    assert applicant.status == "active"
    assert applicant.guardian_consent_recorded_by == librarian_a
    assert applicant.guardian_consent_at is not None
    # The child has no e-mail: the guardian gets both letters, the link among them.
    assert [message.to for message in mail.outbox] == [["mama@example.org"]] * 2
    assert "паперова згода № 17" in mail.outbox[0].body
    assert "Якщо ви такої згоди не давали" in mail.outbox[0].body
    assert applicant.get_personal_url() in mail.outbox[1].body


def test_a_guardian_reachable_only_by_phone_gets_no_mail_and_an_empty_how_is_refused(
    branch_a, librarian_a
):
    applicant = minor_with_guardian(branch_a, guardian_contact="+380 50 111 11 11")

    with pytest.raises(ValidationError):
        services.application_guardian_consent_record(
            application=applicant, acting_user=librarian_a, how="   "
        )
    services.application_guardian_consent_record(
        application=applicant, acting_user=librarian_a, how="лист, підписаний матірʼю"
    )
    with pytest.raises(ValidationError):
        services.application_guardian_consent_record(
            application=applicant, acting_user=librarian_a, how="ще раз"
        )

    assert not OutgoingMail.objects.exists()
    entry = audit_entries_for([applicant]).get()
    assert entry.change_message.startswith("Внесено згоду батьків або опікуна")


def test_someone_who_applied_at_17_and_is_adult_now_needs_no_guardian_to_be_activated(
    branch_a, librarian_a, freeze_now
):
    from datetime import datetime

    from core.tz import KYIV

    applicant = minor_with_guardian(branch_a, applied_on=timezone.localdate())
    freeze_now(datetime(timezone.localdate().year + 3, 1, 10, 12, tzinfo=KYIV))

    services.application_change_status(application=applicant, to="active", acting_user=librarian_a)

    applicant.refresh_from_db()
    assert applicant.status == "active"
