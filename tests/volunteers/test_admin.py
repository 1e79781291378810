import html
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_entries_for, audit_note
from core.models import OutgoingMail
from tests.volunteers.factories import (
    ApplicationFactory,
    DeliveryRequestFactory,
    HoursEntryFactory,
    OpportunityFactory,
)
from volunteers import services
from volunteers.models import Application, DeliveryRequest, HoursEntry, SignUp

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
    }
    response = client.post(change_url(applicant), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    applicant.refresh_from_db()
    assert applicant.status == "contacted"
    assert applicant.notes == "Домовилися на суботу"
    assert applicant.interests == ["events", "virtual"]
    change = audit_entries_for([applicant]).get(change_message__startswith="Стан:")
    assert change.user == librarian_a
    assert audit_note(change) == "Примітка: Зателефонували"
    history = reverse("admin:volunteers_application_history", args=[applicant.pk])
    page = client.get(history).content.decode()
    assert "librarian_a" in page and "Стан: Нова → Звʼязалися" in page
    assert change.object_repr == f"Анкета волонтера № {applicant.pk}"


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
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    delivery.refresh_from_db()
    assert delivery.status == "assigned" and delivery.volunteer == volunteer
    change = audit_entries_for([delivery]).get(change_message__startswith="Стан:")
    assert change.user == librarian_b


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
    assert audit_entries_for([volunteer]).get().user == librarian_a


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
    assert "Уже записалися 2 людини: місць не може бути менше." in response.content.decode()
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
    }
    url = reverse("admin:volunteers_deliveryrequest_add")
    response = client.post(url, form)
    assert "Без згоди читача заявку не зберігаємо." in response.content.decode()
    assert not DeliveryRequest.objects.exists()
    response = client.post(url, {**form, "consent_confirmed": "on"})
    assert response.status_code == 302
    delivery = DeliveryRequest.objects.get()
    assert delivery.consent_at is not None and delivery.branch == branch_b
    assert delivery.consent_recorded_by == librarian_b


def paper_form(**overrides):
    return {
        "name": "Галина Петрівна Коваль",
        "email": "",
        "phone": "+380 332 24 00 11",
        "birth_year": timezone.localdate().year - 68,
        "interests": ["book_repair"],
        "availability": "Вівторок зранку",
        "skills": "Шию, клею палітурки",
        "other_branches": [],
        "guardian_name": "",
        "guardian_contact": "",
        "notes": "Прийшла з паперовою анкетою",
        "consent": "on",
        **overrides,
    }


def test_a_librarian_types_in_a_paper_application_and_is_recorded_as_consent_witness(
    client, branch_a, branch_b, librarian_a
):
    client.force_login(librarian_a)
    url = reverse("admin:volunteers_application_add")
    page = client.get(url).content.decode()
    assert "Паперова анкета, заповнена в бібліотеці" in page
    # Typed in at branch A: it is branch A's application, so it stays on the librarian's list.
    response = client.post(url, paper_form(branch=branch_b.pk))
    assert "branch" in response.context["adminform"].form.errors
    response = client.post(url, paper_form(branch=branch_a.pk, other_branches=[branch_b.pk]))
    assert response.status_code == 302, response.content.decode()[:3000]
    application = Application.objects.get(name="Галина Петрівна Коваль")
    assert application.branch == branch_a
    assert list(application.other_branches.all()) == [branch_b]
    assert application.consent_recorded_by == librarian_a
    assert application.consent_at is not None and application.status == "new"
    assert application.interests == ["book_repair"]
    assert application.notes == "Прийшла з паперовою анкетою"
    page = client.get(change_url(application)).content.decode()
    assert "librarian_a" in page


def test_a_paper_application_without_signed_consent_is_not_saved_and_keeps_what_was_typed(
    client, branch_a, librarian_a
):
    client.force_login(librarian_a)
    response = client.post(
        reverse("admin:volunteers_application_add"), paper_form(consent="", branch=branch_a.pk)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Без підписаної згоди на обробку даних анкету не вносимо." in page
    assert "Галина Петрівна Коваль" in page and "Шию, клею палітурки" in page
    assert not Application.objects.exists()


def test_a_minors_paper_application_signed_by_the_guardian_records_their_consent(
    client, branch_a, librarian_a
):
    client.force_login(librarian_a)
    url = reverse("admin:volunteers_application_add")
    minor = paper_form(
        name="Остап Коваль", birth_year=timezone.localdate().year - 14, branch=branch_a.pk
    )
    page = client.post(url, minor).content.decode()
    assert "Заявникові менше 18 років: це поле потрібно заповнити." in page
    assert not Application.objects.exists()

    response = client.post(
        url,
        {
            **minor,
            "guardian_name": "Галина Коваль",
            "guardian_contact": "+380 50 111 22 33",
            "guardian_consent": "on",
        },
    )
    assert response.status_code == 302
    application = Application.objects.get(name="Остап Коваль")
    assert application.is_minor and application.guardian_consent_at is not None
    assert application.consent_recorded_by == librarian_a
    assert application.guardian_consent_recorded_by == librarian_a
    assert application.guardian_consent_how == (
        "Підпис батьків або опікуна на паперовій анкеті, прийнятій у бібліотеці"
    )


def change_form(applicant):
    """What the application's change form posts back unchanged."""
    return {
        "name": applicant.name,
        "email": applicant.email,
        "phone": applicant.phone,
        "birth_year": applicant.birth_year,
        "interests": applicant.interests or ["events"],
        "availability": applicant.availability,
        "skills": applicant.skills,
        "guardian_name": applicant.guardian_name,
        "guardian_contact": applicant.guardian_contact,
        "notes": applicant.notes,
    }


def test_a_sixteen_year_old_is_activated_only_once_the_guardian_s_consent_is_recorded(
    client, branch_a, librarian_a
):
    applicant = ApplicationFactory(
        branch=branch_a,
        status="contacted",
        birth_year=timezone.localdate().year - 16,
        email="ostap@example.org",
        guardian_name="Галина Коваль",
        guardian_contact="halyna@example.org",
    )
    client.force_login(librarian_a)
    url = reverse("admin:volunteers_application_change", args=[applicant.pk])
    data = {**change_form(applicant), "change_status": "active"}

    refused = client.post(url, data)
    applicant.refresh_from_db()
    assert refused.status_code == 200
    assert (
        "Волонтерові менше 18 років: активувати можна лише після того, як працівник внесе згоду "
        "батьків або опікуна — як її отримано (наприклад, номер паперової згоди)."
    ) in html.unescape(refused.content.decode())
    assert (applicant.status, applicant.access_token) == ("contacted", None)
    assert not OutgoingMail.objects.exists()
    listing = client.get(changelist(Application)).content.decode()
    assert 'class="field-guardian_consent_state">потрібна<' in listing

    accepted = client.post(url, {**data, "record_guardian_consent": "паперова згода № 17"})
    applicant.refresh_from_db()
    assert accepted.status_code == 302
    assert applicant.status == "active"
    assert applicant.guardian_consent_recorded_by == librarian_a
    assert applicant.guardian_consent_how == "паперова згода № 17"
    listing = client.get(changelist(Application)).content.decode()
    assert 'class="field-guardian_consent_state">внесено<' in listing
    assert sorted(OutgoingMail.objects.values_list("to", "template")) == [
        ("halyna@example.org", "volunteers/mail/guardian_consent"),
        ("halyna@example.org", "volunteers/mail/guardian_personal_link"),
        ("ostap@example.org", "volunteers/mail/personal_link"),
    ]
    entries = audit_entries_for([applicant]).order_by("pk")
    # (The admin's own «changed» entry, a JSON list, sits beside the services' sentences.)
    history = [e.change_message for e in entries if not e.change_message.startswith("[")]
    assert history[-2:] == [
        "Внесено згоду батьків або опікуна\nПримітка: паперова згода № 17",
        "Стан: Звʼязалися → Активний волонтер",
    ]


def test_status_log_shows_states_in_words(client, branch_a, librarian_a):
    applicant = ApplicationFactory(branch=branch_a)
    services.application_change_status(
        application=applicant, to="contacted", acting_user=librarian_a
    )
    client.force_login(librarian_a)
    page = client.get(change_url(applicant)).content.decode()
    assert "Звʼязалися" in page
    assert '<td class="field-to_label"><p>contacted' not in page


def test_the_library_running_an_activity_sees_only_the_names_of_volunteers_from_elsewhere(
    client, branch_a, branch_b, librarian_b
):
    volunteer = ApplicationFactory(
        branch=branch_a,
        active=True,
        name="Ярина Далека",
        email="yaryna@example.org",
        phone="+380 99 765 43 21",
    )
    opportunity = OpportunityFactory(branch=branch_b, title="Толока в читальні")
    services.opportunity_sign_up(opportunity=opportunity, volunteer=volunteer)
    client.force_login(librarian_b)

    page = client.get(change_url(opportunity)).content.decode()
    assert "Ярина Далека" in page
    assert "yaryna@example.org" not in page and "765 43 21" not in page
    assert change_url(volunteer) not in page
    # The application itself (contacts, age, notes) stays with branch A.
    assert "Ярина Далека" not in client.get(changelist(Application)).content.decode()
    assert client.get(change_url(volunteer)).status_code in (302, 403, 404)
    # Nor can branch B pick her for a home delivery.
    delivery = DeliveryRequestFactory(branch=branch_b)
    assert "Ярина Далека" not in client.get(change_url(delivery)).content.decode()


def test_the_library_running_an_activity_can_log_hours_for_volunteers_from_elsewhere(
    client, branch_a, branch_b, librarian_b
):
    signed_up = ApplicationFactory(branch=branch_a, active=True, name="Ярина Далека")
    stranger = ApplicationFactory(branch=branch_a, active=True, name="Назар Чужий")
    opportunity = OpportunityFactory(branch=branch_b)
    services.opportunity_sign_up(opportunity=opportunity, volunteer=signed_up)
    client.force_login(librarian_b)

    found = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "volunteers",
            "model_name": "hoursentry",
            "field_name": "volunteer",
            "term": "",
        },
    ).json()
    names = [result["text"] for result in found["results"]]
    assert names == ["Ярина Далека"]

    form = {
        "volunteer": signed_up.pk,
        "branch": branch_b.pk,
        "opportunity": opportunity.pk,
        "activity": "events",
        "date": timezone.localdate().isoformat(),
        "hours": "3",
        "description": "",
    }
    url = reverse("admin:volunteers_hoursentry_add")
    assert client.post(url, form).status_code == 302
    entry = HoursEntry.objects.get()
    assert entry.volunteer == signed_up and entry.is_approved
    response = client.post(url, {**form, "volunteer": stranger.pk})
    assert response.status_code == 200
    assert HoursEntry.objects.count() == 1


def test_after_an_event_the_librarian_logs_everyones_hours_in_one_go(client, branch_a, librarian_a):
    start = timezone.now() - timedelta(days=1)
    event = OpportunityFactory(
        branch=branch_a, places=3, starts_at=start, ends_at=start + timedelta(hours=2, minutes=40)
    )
    came = [ApplicationFactory(branch=branch_a, active=True) for _ in range(3)]
    for volunteer in came:
        SignUp.objects.create(opportunity=event, volunteer=volunteer)
    HoursEntryFactory(branch=branch_a, volunteer=came[0], opportunity=event, hours=1)
    upcoming = OpportunityFactory(branch=branch_a)
    ongoing = OpportunityFactory(branch=branch_a, starts_at=None)
    client.force_login(librarian_a)

    response = client.post(
        reverse("admin:volunteers_opportunity_changelist"),
        {"action": "log_hours", "_selected_action": [event.pk, upcoming.pk, ongoing.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "Внесено й підтверджено 2 записи годин." in page
    assert f"«{upcoming.title}» ще не завершилася." in page
    assert f"«{ongoing.title}»: постійна потреба" in page
    made = HoursEntry.objects.filter(opportunity=event).exclude(volunteer=came[0])
    assert {entry.volunteer for entry in made} == set(came[1:])
    assert all(entry.hours == Decimal("2.5") and entry.is_approved for entry in made)
    assert all(entry.approved_by == librarian_a for entry in made)

    client.post(
        reverse("admin:volunteers_opportunity_changelist"),
        {"action": "log_hours", "_selected_action": [event.pk]},
    )
    assert HoursEntry.objects.filter(opportunity=event).count() == 3


def test_picking_a_volunteer_for_a_new_delivery_assigns_it(client, branch_b, librarian_b):
    delivery = DeliveryRequestFactory(branch=branch_b)
    volunteer = ApplicationFactory(branch=branch_b, active=True, phone="+380661234567")
    client.force_login(librarian_b)
    # Shown the way people write it, so that staff can dial it.
    assert "066 123 4567" in client.get(change_url(delivery)).content.decode()
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
            "change_status": "",
            "assign_volunteer": volunteer.pk,
            "status_note": "",
        },
    )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "assigned" and delivery.volunteer == volunteer


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_admin_lists_and_the_sign_up_list_cost_the_same_queries_for_3_or_30_rows(
    client, branch_a, librarian_a
):
    client.force_login(librarian_a)
    opportunity = OpportunityFactory(branch=branch_a, places=40)
    urls = [
        changelist(Application),
        changelist(HoursEntry),
        changelist(DeliveryRequest),
        change_url(opportunity),
    ]

    def add(count):
        for _ in range(count):
            volunteer = ApplicationFactory(branch=branch_a, active=True)
            services.opportunity_sign_up(opportunity=opportunity, volunteer=volunteer)
            HoursEntryFactory(branch=branch_a, volunteer=volunteer)
            DeliveryRequestFactory(branch=branch_a, volunteer=volunteer, status="assigned")

    add(3)
    # Warm up: the first visit fills per-process caches (content types, site settings).
    [_queries(client, url) for url in urls]
    few = [_queries(client, url) for url in urls]
    add(27)
    assert [_queries(client, url) for url in urls] == few


def test_activating_a_volunteer_without_email_tells_staff_to_hand_over_the_link(
    client, branch_a, librarian_a, settings
):
    applicant = ApplicationFactory(branch=branch_a, email="", status="contacted")
    client.force_login(librarian_a)
    response = client.post(
        change_url(applicant),
        {
            "name": applicant.name,
            "email": "",
            "phone": applicant.phone,
            "birth_year": applicant.birth_year,
            "interests": ["events"],
            "availability": "",
            "skills": "",
            "guardian_name": "",
            "guardian_contact": "",
            "notes": "",
            "change_status": "active",
            "status_note": "",
        },
        follow=True,
    )
    assert "передайте йому особисте посилання" in response.content.decode()
    applicant.refresh_from_db()
    page = client.get(change_url(applicant)).content.decode()
    assert settings.SITE_URL + applicant.get_personal_url() in page
    assert "Е-пошти немає: передайте це посилання волонтерові особисто." in page
