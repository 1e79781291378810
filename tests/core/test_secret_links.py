import pytest
from django.urls import reverse

from events.services import registration_create
from tests.egov.factories import BookingFactory
from tests.events.factories import EventFactory, MembershipFactory
from tests.volunteers.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def registration(branch):
    return registration_create(event=EventFactory(branch=branch), name="Оля", email="o@example.org")


def booking(branch):
    return BookingFactory(slot__branch=branch)


def volunteer(branch):
    return ApplicationFactory(branch=branch, active=True)


# Every page reached by a secret link: (url name, how to make the row, the token's attribute).
PAGES = {
    "events:registration": (registration, "token"),
    "events:membership": (lambda branch: MembershipFactory(club__branch=branch), "token"),
    "egov:booking_detail": (booking, "token"),
    "egov:booking_cancel": (booking, "token"),
    "egov:booking_calendar": (booking, "token"),
    "volunteers:me": (
        lambda branch: ApplicationFactory(branch=branch, active=True),
        "access_token",
    ),
    "volunteers:certificate": (
        lambda branch: ApplicationFactory(branch=branch, active=True),
        "access_token",
    ),
}


@pytest.mark.parametrize("name", PAGES)
def test_a_secret_page_is_private_and_kept_out_of_search_engines(client, branch_a, name):
    make, attribute = PAGES[name]
    token = getattr(make(branch_a), attribute)

    response = client.get(reverse(name, kwargs={"token": token}))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    "junk",
    ["%00", "abc%00def" * 4, "short", "x" * 65, "not-a-token-but-long-enough!!", "%D1%82" * 20],
    ids=["nul", "nul-inside", "too-short", "too-long", "bad-characters", "cyrillic"],
)
def test_a_junk_secret_link_is_not_found_never_an_error(client, branch_a, name, junk):
    make, attribute = PAGES[name]
    make(branch_a)
    url = reverse(name, kwargs={"token": "TOKEN"}).replace("TOKEN", junk)

    assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_a_well_formed_token_of_nobody_is_not_found(client, branch_a, name):
    url = reverse(name, kwargs={"token": "A" * 32})

    assert client.get(url).status_code == 404


def test_signing_up_and_cancelling_through_a_volunteers_link_refuse_a_nul_byte(client):
    for name in ("volunteers:sign_up", "volunteers:cancel"):
        url = reverse(name, kwargs={"token": "TOKEN", "pk": 1}).replace("TOKEN", "%00")
        assert client.post(url).status_code == 404
