"""The one public-form handler: an atomic limit of accepted forms per address, mistakes and
refusals that do not count, a honeypot that saves nothing."""

import threading

import pytest
from django import forms
from django.db import connection
from django.test import Client, RequestFactory

from catalog.models import PurchaseSuggestion
from core.forms import HoneypotMixin, public_form_handle
from core.ratelimit import rate_parse


def suggestion(**overrides):
    data = {"title": "Маленький принц", "author": "", "branch": "", "note": "", "email": ""}
    data.update(website="", search_query="", **overrides)
    return data


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_sixty_simultaneous_suggestions_from_one_address_let_exactly_the_limit_through(
    monkeypatch,
):
    monkeypatch.setattr("catalog.views.SUGGESTION_RATE", "10/h")
    posts = 60
    barrier = threading.Barrier(posts)
    statuses, errors = [], []

    def post(number):
        try:
            client = Client(REMOTE_ADDR="203.0.113.9")
            barrier.wait(timeout=30)
            response = client.post("/catalog/suggest/", suggestion(title=f"Книга {number}"))
            statuses.append(response.status_code)
        except Exception as error:  # noqa: BLE001 — collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(number,)) for number in range(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(statuses) == [302] * 10 + [429] * 50
    assert PurchaseSuggestion.objects.count() == 10


@pytest.mark.django_db
def test_five_suggestions_with_mistakes_do_not_lock_a_reader_out(client):
    for _mistake in range(5):
        assert client.post("/catalog/suggest/", suggestion(title="")).status_code == 400

    response = client.post("/catalog/suggest/", suggestion(title="Тигролови"))

    assert response.status_code == 302
    assert PurchaseSuggestion.objects.get().title == "Тигролови"


class NoteForm(HoneypotMixin, forms.Form):
    text = forms.CharField()


class Refused(Exception):
    pass


def handle(text, *, on_valid, website=""):
    request = RequestFactory().post("/", {"text": text, "website": website})
    return public_form_handle(
        request,
        NoteForm(request.POST),
        limit_key="tests.note",
        rate="2/h",
        on_valid=on_valid,
        refusals=(Refused,),
    )


def refuse(form):
    raise Refused("Місць немає.")


def test_a_form_the_service_refuses_explains_why_and_does_not_use_up_the_limit():
    for _attempt in range(3):
        refused = handle("нотатка", on_valid=refuse)
        assert (refused.accepted, refused.error, refused.status) == (False, "Місць немає.", 409)

    saved = [handle("нотатка", on_valid=lambda form: form.cleaned_data["text"]) for _ in range(3)]

    assert [outcome.result for outcome in saved] == ["нотатка", "нотатка", None]
    assert saved[-1].limited
    assert saved[-1].status == 429


def test_a_bot_filling_the_honeypot_is_shown_success_and_nothing_is_saved():
    saved = []

    outcome = handle("реклама", on_valid=saved.append, website="http://spam.example")

    assert outcome.accepted and outcome.spam
    assert saved == []


def test_a_page_that_is_only_opened_counts_nothing():
    request = RequestFactory().get("/")
    for _visit in range(5):
        outcome = public_form_handle(
            request, NoteForm(), limit_key="tests.note", rate="1/h", on_valid=lambda form: None
        )
        assert (outcome.accepted, outcome.limited, outcome.status) == (False, False, 200)


@pytest.mark.parametrize(
    ("rate", "parsed"), [("10/h", (10, 3600)), ("5/15m", (5, 900)), ("100/d", (100, 86400))]
)
def test_rates_are_read_as_count_per_period(rate, parsed):
    assert rate_parse(rate) == parsed


def test_a_misspelt_rate_fails_loudly():
    with pytest.raises(ValueError, match="10/h"):
        rate_parse("10 per hour")
