"""A NUL byte in an admin list's filter is a wrong filter (the list says so), not a server
error: PostgreSQL refuses NUL in a text comparison."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/admin/egov/booking/", "/admin/events/registration/", "/admin/circulation/hold/"]
)
def test_a_nul_byte_in_a_choices_filter_is_a_wrong_filter(admin_client, url):
    response = admin_client.get(url, {"status__exact": "\x00"})

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
