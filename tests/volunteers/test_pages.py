from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.volunteers.factories import (
    ApplicationFactory,
    DeliveryRequestFactory,
    HoursEntryFactory,
    OpportunityFactory,
)
from volunteers import services
from volunteers.models import Application, DeliveryRequest, HoursEntry, SignUp

pytestmark = pytest.mark.django_db

APPLY = "/volunteers/apply/"


def application_data(branch, **overrides):
    data = {
        "name": "Марія Коваль",
        "email": "maria@example.org",
        "phone": "",
        "birth_year": str(timezone.localdate().year - 25),
        "interests": ["events", "book_repair"],
        "availability": "суботи",
        "skills": "Малюю афіші",
        "branch": str(branch.pk),
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def test_landing_invites_to_volunteer_and_lists_open_opportunities(client, branch_a):
    OpportunityFactory(branch=branch_a, title="Літнє читання з дітьми")
    OpportunityFactory(
        branch=branch_a, title="Минула подія", starts_at=timezone.now() - timedelta(days=1)
    )
    response = client.get("/volunteers/")
    page = response.content.decode()
    assert "Хочу стати волонтером!" in page
    assert "Ремонт книг" in page
    assert "Літнє читання з дітьми" in page
    assert "Минула подія" not in page
    assert reverse("volunteers:apply") in page


def test_landing_speaks_english_under_en(client, db):
    page = client.get("/en/volunteers/").content.decode()
    assert 'lang="en"' in page
    assert "I want to volunteer!" in page
    assert "Book repair" in page


def test_an_adult_applies_and_the_application_waits_for_staff_with_consent_stamped(
    client, branch_a, branch_b
):
    data = application_data(branch_a, other_branches=[str(branch_b.pk)])
    response = client.post(APPLY, data)
    assert response.status_code == 302
    assert response["Location"].endswith("/volunteers/apply/thanks/")
    application = Application.objects.get()
    assert application.status == "new"
    assert application.interests == ["events", "book_repair"]
    assert application.consent_at is not None
    assert list(application.other_branches.all()) == [branch_b]
    assert application.guardian_consent_at is None


def test_a_minor_without_guardian_is_asked_for_it_and_keeps_what_was_typed(client, branch_a):
    data = application_data(branch_a, birth_year=str(timezone.localdate().year - 15))
    response = client.post(APPLY, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Вам менше 18 років: це поле потрібно заповнити." in page
    assert 'value="Марія Коваль"' in page
    assert 'value="book_repair"' in page and "checked" in page
    assert not Application.objects.exists()


def test_a_minor_names_a_guardian_and_the_consent_waits_for_the_library(client, branch_a):
    data = application_data(
        branch_a,
        birth_year=str(timezone.localdate().year - 15),
        guardian_name="Олена Коваль",
        guardian_contact="+380 67 123 45 67",
        # An old form's box, ticked by the child: it is not the guardian's consent.
        guardian_consent="on",
    )
    form = client.get(APPLY).content.decode()
    assert 'name="guardian_consent"' not in form
    assert "Бібліотека попросить у них письмову згоду" in form
    assert client.post(APPLY, data).status_code == 302
    application = Application.objects.get()
    assert application.is_minor
    assert application.guardian_consent_at is None


def test_a_child_under_14_is_told_volunteers_start_at_14(client, branch_a):
    thirteen = application_data(branch_a, birth_year=str(timezone.localdate().year - 13))

    response = client.post(APPLY, thirteen)

    assert response.status_code == 400
    assert "Перевірте рік народження: волонтерами стають з 14 років." in response.content.decode()
    assert not Application.objects.exists()


def test_application_without_consent_or_any_contact_explains_both(client, branch_a):
    data = application_data(branch_a, email="", consent="")
    page = client.post(APPLY, data).content.decode()
    assert "Без згоди на обробку даних ми не можемо прийняти анкету." in page
    assert "Залиште е-пошту або телефон" in page


def test_a_bot_filling_the_honeypot_is_thanked_but_nothing_is_stored(client, branch_a):
    response = client.post(APPLY, application_data(branch_a, website="http://spam.example"))
    assert response.status_code == 302
    assert not Application.objects.exists()


def test_too_many_applications_from_one_address_are_refused_with_the_form_kept(client, branch_a):
    for _ in range(5):
        client.post(APPLY, application_data(branch_a))
    response = client.post(APPLY, application_data(branch_a, name="Шоста Спроба"))
    assert response.status_code == 429
    assert 'value="Шоста Спроба"' in response.content.decode()
    assert Application.objects.count() == 5


def test_mistakes_corrected_on_the_form_do_not_count_towards_the_limit(client, branch_a):
    for _ in range(8):
        client.post(APPLY, application_data(branch_a, name=""))

    response = client.post(APPLY, application_data(branch_a))

    assert response.status_code == 302
    assert Application.objects.count() == 1


def test_opportunity_list_runs_a_constant_number_of_queries(
    client, branch_a, branch_b, django_assert_num_queries
):
    for index in range(25):
        OpportunityFactory(branch=branch_a if index % 2 else branch_b)
    # count, page with libraries joined, the footer's central library
    with django_assert_num_queries(3):
        response = client.get("/volunteers/opportunities/")
    assert response.status_code == 200
    assert "Сторінка 1 з 2" in response.content.decode()


def test_a_reader_asks_for_books_at_home(client, branch_b):
    response = client.post(
        "/volunteers/home-delivery/",
        {
            "name": "Ганна Степанівна",
            "phone": "+380 332 00 00 00",
            "address": "вул. Лесі Українки, 1",
            "reason": "age",
            "wishes": "Історичні романи",
            "branch": str(branch_b.pk),
            "consent": "on",
        },
    )
    assert response.status_code == 302
    delivery = DeliveryRequest.objects.get()
    assert delivery.status == "new" and delivery.branch == branch_b


def test_a_delivery_request_without_an_address_says_so_and_keeps_the_rest(client, branch_b):
    response = client.post(
        "/volunteers/home-delivery/",
        {"name": "Ганна Степанівна", "phone": "123", "reason": "health", "branch": branch_b.pk},
    )
    page = response.content.decode()
    assert "Напишіть адресу доставки." in page
    assert 'value="Ганна Степанівна"' in page
    assert not DeliveryRequest.objects.exists()


def test_a_volunteer_signs_up_on_the_personal_page(client, branch_a):
    volunteer = ApplicationFactory(branch=branch_a, active=True)
    opportunity = OpportunityFactory(branch=branch_a, title="Буккросинг у парку")
    page = client.get(volunteer.get_personal_url()).content.decode()
    assert "Буккросинг у парку" in page
    response = client.post(
        reverse(
            "volunteers:sign_up", kwargs={"token": volunteer.access_token, "pk": opportunity.pk}
        ),
        follow=True,
    )
    assert "Ви записалися" in response.content.decode()
    assert SignUp.objects.filter(volunteer=volunteer, opportunity=opportunity).exists()


def test_a_full_opportunity_tells_the_volunteer_so(client, branch_a):
    opportunity = OpportunityFactory(branch=branch_a, places=1)
    first = ApplicationFactory(branch=branch_a, active=True)
    second = ApplicationFactory(branch=branch_a, active=True)
    for volunteer in (first, second):
        response = client.post(
            reverse(
                "volunteers:sign_up", kwargs={"token": volunteer.access_token, "pk": opportunity.pk}
            ),
            follow=True,
        )
    assert "Усі місця вже зайняті." in response.content.decode()


def test_an_unknown_or_declined_link_is_not_found(client, branch_a):
    declined = ApplicationFactory(branch=branch_a, status="declined", access_token="old-token")
    assert client.get("/volunteers/me/nonsense/").status_code == 404
    assert client.get(f"/volunteers/me/{declined.access_token}/").status_code == 404


def test_personal_page_is_not_cached_nor_indexed(client, branch_a):
    volunteer = ApplicationFactory(branch=branch_a, active=True)
    response = client.get(volunteer.get_personal_url())
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_a_volunteer_logs_hours_that_wait_for_approval(client, branch_a):
    volunteer = ApplicationFactory(branch=branch_a, active=True)
    response = client.post(
        volunteer.get_personal_url(),
        {
            "date": timezone.localdate().isoformat(),
            "hours": "2.5",
            "activity": "homework",
            "branch": branch_a.pk,
            "description": "Математика з третьокласниками",
        },
        follow=True,
    )
    assert "після підтвердження бібліотекарем" in response.content.decode()
    entry = HoursEntry.objects.get()
    assert entry.volunteer == volunteer and not entry.is_approved


def test_hours_in_the_future_are_refused_with_a_reason(client, branch_a):
    volunteer = ApplicationFactory(branch=branch_a, active=True)
    response = client.post(
        volunteer.get_personal_url(),
        {
            "date": (timezone.localdate() + timedelta(days=2)).isoformat(),
            "hours": "2",
            "activity": "events",
            "branch": branch_a.pk,
        },
    )
    assert response.status_code == 400
    assert "Години вносять за дні, що вже минули." in response.content.decode()
    assert not HoursEntry.objects.exists()


def test_certificate_shows_only_approved_hours_by_activity(client, branch_a, librarian_a):
    volunteer = ApplicationFactory(branch=branch_a, active=True, name="Іван Франко")
    HoursEntryFactory(
        volunteer=volunteer,
        branch=branch_a,
        activity="book_repair",
        hours=4,
        approved_at=timezone.now(),
    )
    HoursEntryFactory(
        volunteer=volunteer,
        branch=branch_a,
        activity="events",
        hours="1.5",
        approved_at=timezone.now(),
    )
    HoursEntryFactory(volunteer=volunteer, branch=branch_a, activity="events", hours=10)
    page = client.get(
        reverse("volunteers:certificate", kwargs={"token": volunteer.access_token})
    ).content.decode()
    assert "Іван Франко" in page
    assert "Ремонт книг" in page
    assert "5,5" in page
    assert "11,5" not in page


def test_personal_page_runs_a_constant_number_of_queries(
    client, branch_a, django_assert_num_queries
):
    volunteer = ApplicationFactory(branch=branch_a, active=True)
    for _ in range(15):
        opportunity = OpportunityFactory(branch=branch_a, places=3)
        SignUp.objects.create(opportunity=opportunity, volunteer=volunteer)
        HoursEntryFactory(volunteer=volunteer, branch=branch_a)
    OpportunityFactory.create_batch(10, branch=branch_a)
    # volunteer, sign-ups, open opportunities, totals, hours, assigned deliveries, libraries of
    # the hours form, the footer's central library
    with django_assert_num_queries(8):
        response = client.get(volunteer.get_personal_url())
    assert response.content.decode().count("Скасувати запис") == 15


def test_an_application_sent_from_the_english_page_gets_mail_in_english_later(client, branch_a):
    client.post("/en/volunteers/apply/", application_data(branch_a))
    assert Application.objects.get().language == "en"


def test_a_volunteer_cancels_an_upcoming_sign_up_but_not_a_past_one(client, branch_a):
    from volunteers import services

    volunteer = ApplicationFactory(branch=branch_a, active=True)
    upcoming = OpportunityFactory(branch=branch_a, places=1)
    signup = services.opportunity_sign_up(opportunity=upcoming, volunteer=volunteer)
    token = volunteer.access_token
    response = client.post(
        reverse("volunteers:cancel", kwargs={"token": token, "pk": signup.pk}), follow=True
    )
    assert "Запис скасовано." in response.content.decode()
    upcoming.refresh_from_db()
    assert upcoming.taken == 0

    past = OpportunityFactory(branch=branch_a, starts_at=timezone.now() - timedelta(days=1))
    old = SignUp.objects.create(opportunity=past, volunteer=volunteer)
    response = client.post(
        reverse("volunteers:cancel", kwargs={"token": token, "pk": old.pk}), follow=True
    )
    assert "запис не скасовується" in response.content.decode()
    assert SignUp.objects.filter(pk=old.pk).exists()


def test_landing_runs_a_constant_number_of_queries(client, branch_a, django_assert_num_queries):
    OpportunityFactory.create_batch(10, branch=branch_a)
    # open opportunities with their libraries, the footer's central library
    with django_assert_num_queries(2):
        response = client.get("/volunteers/")
    assert response.content.decode().count('class="card opportunity-card"') == 6


def test_an_opportunity_says_how_many_more_people_it_needs_in_plain_ukrainian(client, branch_a):
    OpportunityFactory(branch=branch_a, title="Толока", places=5, taken=3)
    OpportunityFactory(branch=branch_a, title="Повна", places=2, taken=2)
    OpportunityFactory(branch=branch_a, title="Постійна", starts_at=None, places=1)
    page = client.get("/volunteers/opportunities/").content.decode()
    assert "Потрібні ще 2 людини" in page
    assert "Усі місця вже зайняті" in page
    assert "Потрібна ще 1 людина" in page
    assert "Постійна потреба: у зручний для вас час" in page


def test_after_applying_the_visitor_learns_what_happens_next(client, branch_a):
    response = client.post(APPLY, application_data(branch_a), follow=True)
    page = response.content.decode()
    assert "Дякуємо за анкету" in page
    assert "Протягом тижня бібліотекар обраної бібліотеки зателефонує" in page
    assert reverse("branches:list") in page


def test_the_certificate_confirms_the_period_and_total_in_ukrainian_dates(client, branch_a):
    volunteer = ApplicationFactory(branch=branch_a, active=True, name="Леся Українка")
    for day, hours in ((date(2026, 3, 2), 2), (date(2026, 6, 15), "3.5")):
        HoursEntryFactory(
            volunteer=volunteer,
            branch=branch_a,
            date=day,
            hours=hours,
            approved_at=timezone.now(),
        )
    page = client.get(volunteer.get_personal_url() + "certificate/").content.decode()
    assert "Волонтер: <strong>Леся Українка</strong>" in page
    assert "з 2 березня 2026 р. по 15 червня 2026 р." in page
    assert "Усього відпрацьовано 5,5 год." in page
    assert "Підпис відповідальної особи" in page


def test_a_certificate_without_approved_hours_has_nothing_to_sign(client, branch_a):
    volunteer = ApplicationFactory(branch=branch_a, active=True)
    HoursEntryFactory(volunteer=volunteer, branch=branch_a)
    page = client.get(volunteer.get_personal_url() + "certificate/").content.decode()
    assert "Підтверджених годин ще немає" in page
    assert "Підпис відповідальної особи" not in page


def test_a_volunteer_sees_the_delivery_assigned_to_them_until_it_is_delivered(
    client, branch_a, librarian_a, eager_celery, django_capture_on_commit_callbacks
):
    volunteer = ApplicationFactory(branch=branch_a, active=True, email="v@example.org")
    other = ApplicationFactory(branch=branch_a, active=True)
    delivery = DeliveryRequestFactory(branch=branch_a, address="вул. Лесі Українки, 7, кв. 3")
    with django_capture_on_commit_callbacks(execute=True):
        services.delivery_change_status(
            delivery=delivery, to="assigned", acting_user=librarian_a, volunteer=volunteer
        )
    # The mail points to the page; the reader's address is not sent around by mail.
    message = mail.outbox[-1]
    assert message.to == ["v@example.org"]
    assert volunteer.get_personal_url() in message.body
    assert "Лесі Українки" not in message.body

    page = client.get(volunteer.get_personal_url()).content.decode()
    assert "Вам доручено доставити книги" in page and "вул. Лесі Українки, 7, кв. 3" in page
    assert "Лесі Українки" not in client.get(other.get_personal_url()).content.decode()

    services.delivery_change_status(delivery=delivery, to="delivered", acting_user=librarian_a)
    assert "Лесі Українки" not in client.get(volunteer.get_personal_url()).content.decode()


def test_an_impossible_birth_year_is_explained_as_a_typo_not_an_age_limit(client, branch_a):
    response = client.post(APPLY, application_data(branch_a, birth_year="1900"))

    page = response.content.decode()
    assert "напишіть його чотирма цифрами" in page
    assert "з 10 років" not in page
