from datetime import datetime, timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse

from core.phones import phone_display, phone_normalize
from core.tz import KYIV
from egov.models import Booking
from events.models import Registration
from tests.egov.factories import SlotFactory
from tests.events.factories import EventFactory
from volunteers.models import DeliveryRequest

pytestmark = pytest.mark.django_db

JUNK_MESSAGE = "Перевірте номер телефону: напишіть його цифрами, наприклад 050 123 45 67."
MONDAY_NOON = datetime(2026, 6, 1, 12, 0, tzinfo=KYIV)


@pytest.mark.parametrize(
    "typed", ["050 123 45 67", "0501234567", "+38 (050) 123-45-67", "380501234567"]
)
def test_every_usual_spelling_of_a_ukrainian_number_is_stored_in_e164(typed):
    assert phone_normalize(typed) == "+380501234567"


@pytest.mark.parametrize("typed", ["дзвоніть увечері", "123", "050 123 45 67 89 01", "+"])
def test_what_is_not_a_phone_number_is_refused(typed):
    with pytest.raises(ValueError):
        phone_normalize(typed)


def test_a_stored_number_is_shown_nationally_when_ukrainian_and_internationally_otherwise():
    assert phone_display("+380501234567") == "050 123 4567"
    assert phone_display("+380332723456") == "0332 723 456"
    assert phone_display("+48601234567") == "+48 601 234 567"
    rendered = Template("{% load portal %}{{ number|phone }}").render(
        Context({"number": "+380501234567"})
    )
    assert rendered == "050 123 4567"


def test_an_event_registration_with_a_junk_phone_gets_a_clear_message_and_keeps_the_input(
    client,
):
    event = EventFactory()
    data = {"name": "Олена", "email": "", "phone": "дзвоніть", "seats": "1", "consent": "on"}

    response = client.post(reverse("events:register", args=[event.pk]), data)

    page = response.content.decode()
    assert JUNK_MESSAGE in page
    assert 'value="дзвоніть"' in page
    assert not Registration.objects.exists()


def test_one_number_typed_two_ways_is_one_registration_per_event(client):
    event = EventFactory()
    url = reverse("events:register", args=[event.pk])
    first = {"name": "Олена", "email": "", "phone": "050 123 45 67", "seats": "1", "consent": "on"}
    client.post(url, first)
    client.post(url, {**first, "name": "Знову Олена", "phone": "+38 (050) 123-45-67"})

    assert list(Registration.objects.values_list("phone", flat=True)) == ["+380501234567"]


def test_a_home_delivery_request_stores_the_phone_in_e164_and_refuses_junk(client, branch_b):
    data = {
        "name": "Ганна Степанівна",
        "phone": "дзвоніть",
        "address": "вул. Лесі Українки, 1",
        "reason": "age",
        "wishes": "Історичні романи",
        "branch": str(branch_b.pk),
        "consent": "on",
    }
    response = client.post("/volunteers/home-delivery/", data)
    assert JUNK_MESSAGE in response.content.decode()

    client.post("/volunteers/home-delivery/", {**data, "phone": "(0332) 72-34-56"})
    assert DeliveryRequest.objects.get().phone == "+380332723456"


def test_an_e_services_booking_refuses_a_junk_phone_and_stores_a_good_one_in_e164(
    client, freeze_now, network
):
    freeze_now(MONDAY_NOON)
    slot = SlotFactory(branch=network["a"], starts_at=MONDAY_NOON + timedelta(days=1))
    data = {"name": "Ганна", "email": "", "phone": "12", "consent": "on"}

    response = client.post(f"/e-services/slots/{slot.pk}/", data)
    assert JUNK_MESSAGE in response.content.decode()

    client.post(f"/e-services/slots/{slot.pk}/", {**data, "phone": "067 111 22 33"})
    assert Booking.objects.get().phone == "+380671112233"


def test_the_junk_phone_message_is_in_english_on_the_english_site(client):
    event = EventFactory()
    data = {"name": "Olena", "email": "", "phone": "call me", "seats": "1", "consent": "on"}

    response = client.post("/en" + reverse("events:register", args=[event.pk]), data)

    assert "Check the phone number: write it in digits" in response.content.decode()


def test_phones_typed_before_normalisation_are_rewritten_and_junk_is_left_for_staff(branch_a):
    from branches.models import Branch
    from core.phones import phones_normalize_stored

    Branch.objects.filter(pk=branch_a.pk).update(phone="(0332) 72-34-56")
    other = Branch.objects.exclude(pk=branch_a.pk).first()
    Branch.objects.filter(pk=other.pk).update(phone="див. сайт")

    phones_normalize_stored(Branch, "phone")

    assert Branch.objects.get(pk=branch_a.pk).phone == "+380332723456"
    assert Branch.objects.get(pk=other.pk).phone == "див. сайт"


def test_a_phone_field_shows_a_stored_number_nationally_and_a_typed_one_as_typed():
    from core.phones import PhoneFormField

    field = PhoneFormField(required=False)

    assert field.prepare_value("+380501234567") == "050 123 4567"
    assert field.prepare_value("050 123 45 67") == "050 123 45 67"
