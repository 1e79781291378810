"""What a visitor meets around the sign-up forms: errors in view, reloads, rate limits."""

import pytest
from django.urls import reverse

from events.models import ClubMembership, Registration
from events.services import registration_create
from tests.events.factories import ClubFactory, EventFactory
from tests.events.test_pages import registration_data

pytestmark = pytest.mark.django_db


def test_reloading_the_register_address_after_a_form_error_shows_the_event(client):
    event = EventFactory()
    event_page = event.get_absolute_url()

    response = client.get(reverse("events:register", args=[event.pk]))
    english = client.get(f"/en/events/{event.pk}/register/")

    assert response.status_code == 302
    assert response["Location"] == event_page
    assert english.status_code == 302 and english["Location"] == f"/en/events/{event.pk}/"


def test_reloading_the_club_join_address_shows_the_club(client):
    club = ClubFactory()

    response = client.get(reverse("events:club_join", args=[club.slug]))

    assert response.status_code == 302
    assert response["Location"] == club.get_absolute_url()


def test_after_a_mistake_the_phone_lands_on_the_registration_errors(client):
    event = EventFactory()
    url = reverse("events:register", args=[event.pk])

    page = client.get(event.get_absolute_url()).content.decode()
    response = client.post(url, registration_data(name="", consent=""))
    content = response.content.decode()

    assert f'action="{url}#register-title"' in page
    assert 'id="register-title"' in content
    assert 'id="register-errors"' in content and 'aria-describedby="register-errors"' in content
    assert 'href="#id_name"' in content and "Напишіть, як до вас звертатися." in content


def test_after_a_mistake_the_phone_lands_on_the_club_form_errors(client):
    club = ClubFactory()
    url = reverse("events:club_join", args=[club.slug])

    page = client.get(club.get_absolute_url()).content.decode()
    response = client.post(url, registration_data(email="", phone=""))

    assert f'action="{url}#join-title"' in page
    assert 'id="join-errors"' in response.content.decode()


def test_mistakes_do_not_count_towards_the_sign_up_limit(client):
    event = EventFactory(capacity=None)
    url = reverse("events:register", args=[event.pk])
    for _ in range(12):
        assert client.post(url, registration_data(email="not-an-address")).status_code == 400

    response = client.post(url, registration_data(email="finally@example.org"))

    assert response.status_code == 302
    assert Registration.objects.filter(email="finally@example.org").exists()


def test_after_ten_accepted_sign_ups_the_next_is_refused_in_ukrainian(client):
    event = EventFactory(capacity=None)
    url = reverse("events:register", args=[event.pk])
    for number in range(10):
        assert (
            client.post(url, registration_data(email=f"p{number}@example.org")).status_code == 302
        )

    response = client.post(url, registration_data(email="eleventh@example.org"))

    assert response.status_code == 429
    assert "З вашої адреси забагато реєстрацій за годину" in response.content.decode()
    assert "eleventh@example.org" in response.content.decode()


def test_club_join_limit_counts_only_accepted_requests(client):
    clubs = ClubFactory.create_batch(11)
    for club in clubs[:3]:
        url = reverse("events:club_join", args=[club.slug])
        assert client.post(url, registration_data(consent="")).status_code == 400
    for number, club in enumerate(clubs[:10]):
        url = reverse("events:club_join", args=[club.slug])
        assert (
            client.post(url, registration_data(email=f"m{number}@example.org")).status_code == 302
        )

    response = client.post(reverse("events:club_join", args=[clubs[10].slug]), registration_data())

    assert response.status_code == 429
    assert "З вашої адреси забагато заявок за годину" in response.content.decode()
    assert ClubMembership.objects.count() == 10


def test_seats_are_not_offered_while_people_wait_in_the_queue(client):
    event = EventFactory(capacity=3, max_seats_per_registration=2, title="Черга є")
    registration_create(event=event, name="Перша", email="a@example.org", seats=2)
    waiting = registration_create(event=event, name="Родина", email="b@example.org", seats=2)
    assert waiting.status == "waitlisted"

    card = client.get("/events/").content.decode()
    page = client.get(event.get_absolute_url()).content.decode()
    free_only = client.get("/events/", {"free_only": "on"}).content.decode()

    assert "Залишилося 1 місце" not in card
    assert "Місць немає — можна стати в лист очікування" in card
    assert "Місць немає — можна стати в лист очікування" in page
    assert "Стати в лист очікування" in page
    assert "Черга є" not in free_only


def test_asking_for_more_seats_than_are_free_is_warned_before_sending(client):
    event = EventFactory(capacity=3, max_seats_per_registration=4)
    registration_create(event=event, name="Перша", email="a@example.org", seats=2)

    page = client.get(event.get_absolute_url()).content.decode()

    assert "Вільних місць зараз: 1. Якщо попросите більше" in page
