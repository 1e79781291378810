import pytest
from django.core import mail
from django.urls import reverse

from tests.volunteers.factories import (
    ApplicationFactory,
    DeliveryRequestFactory,
    HoursEntryFactory,
    OpportunityFactory,
)
from volunteers.models import Application, DeliveryRequest, HoursEntry

pytestmark = pytest.mark.django_db


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def changelist(model):
    return reverse(f"admin:volunteers_{model._meta.model_name}_changelist")


def test_librarian_b_cannot_see_applicants_of_branch_a(client, branch_a, librarian_b):
    applicant = ApplicationFactory(branch=branch_a, name="Оксана Приватна")
    client.force_login(librarian_b)
    page = client.get(changelist(Application)).content.decode()
    assert "Оксана Приватна" not in page
    assert client.get(change_url(applicant)).status_code in (302, 403, 404)


def test_librarian_sees_applicants_who_named_their_library_as_an_extra_choice(
    client, branch_a, branch_b, librarian_b
):
    applicant = ApplicationFactory(branch=branch_a, name="Петро Двобібліотечний")
    applicant.other_branches.add(branch_b)
    client.force_login(librarian_b)
    assert "Петро Двобібліотечний" in client.get(changelist(Application)).content.decode()


def test_methodologist_sees_applicants_of_every_library(client, branch_a, methodologist):
    ApplicationFactory(branch=branch_a, name="Оксана Приватна")
    client.force_login(methodologist)
    assert "Оксана Приватна" in client.get(changelist(Application)).content.decode()


def test_librarian_moves_an_application_along_and_the_log_shows_who(client, branch_a, librarian_a):
    applicant = ApplicationFactory(branch=branch_a)
    client.force_login(librarian_a)
    page = client.get(change_url(applicant)).content.decode()
    assert 'value="contacted"' in page and 'value="active"' not in page
    form = {
        "name": applicant.name,
        "email": applicant.email,
        "phone": applicant.phone,
        "birth_year": applicant.birth_year,
        "interests": ["events", "virtual"],
        "availability": "",
        "skills": "",
        "guardian_name": "",
        "guardian_contact": "",
        "notes": "Домовилися на суботу",
        "change_status": "contacted",
        "status_note": "Зателефонували",
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
    }
    response = client.post(change_url(applicant), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    applicant.refresh_from_db()
    assert applicant.status == "contacted"
    assert applicant.notes == "Домовилися на суботу"
    assert applicant.interests == ["events", "virtual"]
    change = applicant.status_changes.get()
    assert change.changed_by == librarian_a and change.note == "Зателефонували"
    page = client.get(change_url(applicant)).content.decode()
    assert "librarian_a" in page


def test_librarian_approves_hours_done_in_their_library(client, branch_a, librarian_a):
    entry = HoursEntryFactory(branch=branch_a)
    client.force_login(librarian_a)
    response = client.post(
        changelist(HoursEntry), {"action": "approve", "_selected_action": [entry.pk]}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.is_approved and entry.approved_by == librarian_a


def test_librarian_b_sees_neither_hours_nor_deliveries_of_branch_a(client, branch_a, librarian_b):
    HoursEntryFactory(branch=branch_a, volunteer__name="Волонтерка Альфа")
    DeliveryRequestFactory(branch=branch_a, name="Читачка Альфа")
    client.force_login(librarian_b)
    assert "Волонтерка Альфа" not in client.get(changelist(HoursEntry)).content.decode()
    assert "Читачка Альфа" not in client.get(changelist(DeliveryRequest)).content.decode()


def test_librarian_assigns_a_volunteer_to_a_delivery(client, branch_b, librarian_b):
    delivery = DeliveryRequestFactory(branch=branch_b)
    volunteer = ApplicationFactory(branch=branch_b, active=True)
    client.force_login(librarian_b)
    response = client.post(
        change_url(delivery),
        {
            "name": delivery.name,
            "phone": delivery.phone,
            "address": delivery.address,
            "reason": delivery.reason,
            "wishes": delivery.wishes,
            "preferred_time": "",
            "branch": branch_b.pk,
            "notes": "",
            "change_status": "assigned",
            "assign_volunteer": volunteer.pk,
            "status_note": "",
            "status_changes-TOTAL_FORMS": "0",
            "status_changes-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    delivery.refresh_from_db()
    assert delivery.status == "assigned" and delivery.volunteer == volunteer
    assert delivery.status_changes.get().changed_by == librarian_b


def test_opportunity_admin_lists_only_the_librarians_library(
    client, branch_a, branch_b, librarian_a
):
    OpportunityFactory(branch=branch_a, title="Своя потреба")
    OpportunityFactory(branch=branch_b, title="Чужа потреба")
    client.force_login(librarian_a)
    page = client.get(reverse("admin:volunteers_opportunity_changelist")).content.decode()
    assert "Своя потреба" in page and "Чужа потреба" not in page


def test_a_lost_personal_link_is_replaced_and_the_old_one_stops_working(
    client, branch_a, librarian_a, eager_celery, django_capture_on_commit_callbacks
):
    volunteer = ApplicationFactory(branch=branch_a, active=True)
    old_url = volunteer.get_personal_url()
    client.force_login(librarian_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            changelist(Application), {"action": "reissue_link", "_selected_action": [volunteer.pk]}
        )
    volunteer.refresh_from_db()
    assert volunteer.get_personal_url() != old_url
    client.logout()
    assert client.get(old_url).status_code == 404
    assert client.get(volunteer.get_personal_url()).status_code == 200
    assert volunteer.get_personal_url() in mail.outbox[-1].body
    assert volunteer.status_changes.get().changed_by == librarian_a


def test_places_cannot_drop_below_those_already_signed_up(client, branch_a, librarian_a):
    opportunity = OpportunityFactory(branch=branch_a, places=3, taken=2)
    client.force_login(librarian_a)
    response = client.post(
        change_url(opportunity),
        {
            "branch": branch_a.pk,
            "title": opportunity.title,
            "activity": opportunity.activity,
            "place": "",
            "description": "",
            "starts_at_0": "",
            "starts_at_1": "",
            "ends_at_0": "",
            "ends_at_1": "",
            "places": 1,
            "is_published": "on",
            "signups-TOTAL_FORMS": "0",
            "signups-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Уже записалося 2 осіб" in response.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.places == 3


def test_a_librarian_takes_a_delivery_request_by_phone_only_with_consent(
    client, branch_b, librarian_b
):
    client.force_login(librarian_b)
    form = {
        "name": "Марія Іванівна",
        "phone": "+380 332 11 22 33",
        "address": "вул. Рівненська, 5",
        "reason": "health",
        "wishes": "Журнали",
        "preferred_time": "",
        "branch": branch_b.pk,
        "notes": "",
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
    }
    url = reverse("admin:volunteers_deliveryrequest_add")
    response = client.post(url, form)
    assert "Без згоди читача заявку не зберігаємо." in response.content.decode()
    assert not DeliveryRequest.objects.exists()
    response = client.post(url, {**form, "consent_confirmed": "on"})
    assert response.status_code == 302
    delivery = DeliveryRequest.objects.get()
    assert delivery.consent_at is not None and delivery.branch == branch_b
