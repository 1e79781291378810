"""Sign-in lockouts key on the visitor's own address, also behind a reverse proxy, and the
lockout page speaks the visitor's language."""

import pytest

PROXY = "10.0.0.1"
ATTACKER = "203.0.113.66"
COLLEAGUE = "198.51.100.7"
PASSWORD = "correct-horse-battery-staple"
LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 5


def sign_in(client, password, *, forwarded_for, username="librarian_a", **headers):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
        **headers,
    )


def fail_five_times(client, forwarded_for=ATTACKER, **headers):
    for _ in range(4):
        assert sign_in(client, "wrong", forwarded_for=forwarded_for).status_code == 200
    return sign_in(client, "wrong", forwarded_for=forwarded_for, **headers)


def test_wrong_passwords_from_one_client_behind_the_proxy_do_not_lock_out_another(
    client, librarian_a, behind_one_proxy
):
    assert fail_five_times(client).status_code == 429

    locked = sign_in(client, PASSWORD, forwarded_for=ATTACKER)
    colleague = sign_in(client, PASSWORD, forwarded_for=COLLEAGUE)

    assert locked.status_code == 429
    assert colleague.status_code == 302
    assert colleague["Location"] == "/admin/"


def test_a_client_cannot_dodge_the_lockout_by_forging_a_forwarded_address(
    client, librarian_a, behind_one_proxy
):
    # The proxy appends the real address; what the client wrote before it is not trusted.
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"):
        sign_in(client, "wrong", forwarded_for=f"{forged}, {ATTACKER}")

    assert sign_in(client, PASSWORD, forwarded_for=f"9.9.9.9, {ATTACKER}").status_code == 429


def test_the_lockout_page_is_in_ukrainian_by_default(client, librarian_a, behind_one_proxy):
    response = fail_five_times(client)

    text = response.content.decode()
    assert response.status_code == 429
    assert '<html lang="uk">' in text
    assert "Вхід тимчасово заблоковано" in text
    assert "неправильно 5 разів поспіль" in text
    assert "через 60 хвилин" in text
    assert "librarian_a" not in text
    assert response["Retry-After"] == "3600"


def test_the_lockout_page_is_in_english_for_an_english_browser(
    client, librarian_a, behind_one_proxy
):
    response = fail_five_times(client, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    text = response.content.decode()
    assert response.status_code == 429
    assert '<html lang="en">' in text
    assert "Signing in is blocked for a while" in text
    assert "typed wrong 5 times in a row" in text
    assert "in 60 minutes" in text
    assert "Вхід" not in text
