"""«Замовити» from a record page and «Видано до» on it."""

import pytest
from django.urls import reverse

from circulation.models import Hold
from circulation.services import hold_place, loan_checkin, loan_checkout
from tests.circulation.factories import make_reader_profile

pytestmark = pytest.mark.django_db


def hold_url(record, prefix=""):
    return prefix + reverse("circulation:hold_place", kwargs={"pk": record.pk})


def test_the_record_page_says_when_a_lent_copy_is_due_back_and_offers_to_reserve(
    client, desk, book, copy, reader_a, librarian_a
):
    loan_checkout(item=copy, reader=reader_a, branch=desk["a"], acting_user=librarian_a)

    page = client.get(book.get_absolute_url()).content.decode()

    assert "Видано до 1 квітня 2026" in page
    assert hold_url(book) in page


def test_an_anonymous_visitor_is_sent_to_sign_in_and_back(client, book):
    response = client.get(hold_url(book))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert response["Location"].endswith("next=" + hold_url(book))


def test_a_reader_reserves_at_the_chosen_library_and_sees_the_place_in_the_queue(
    client, desk, book, copy, librarian_a, reader_a, django_assert_num_queries
):
    holder = make_reader_profile(branch=desk["a"])
    loan_checkout(item=copy, reader=holder, branch=desk["a"], acting_user=librarian_a)
    hold_place(record=book, reader=make_reader_profile(branch=desk["b"]), pickup_branch=desk["b"])
    client.force_login(reader_a.user)

    form = client.get(hold_url(book))
    assert form.context["form"].initial["pickup_branch"] == desk["a"].pk
    response = client.post(hold_url(book), {"pickup_branch": desk["b"].pk}, follow=True)

    hold = Hold.objects.get(reader=reader_a)
    assert hold.pickup_branch == desk["b"]
    page = response.content.decode()
    assert "Замовлено." in page
    assert "Ви 2-й у черзі з 2." in page
    # a reader's menu reads no permissions; the footer is cached from the pages before
    with django_assert_num_queries(5):
        client.get(hold_url(book))


def test_a_refusal_is_shown_and_nothing_is_reserved(
    client, desk, book, copy, reader_a, librarian_a
):
    loan_checkout(item=copy, reader=reader_a, branch=desk["a"], acting_user=librarian_a)
    client.force_login(reader_a.user)

    response = client.post(hold_url(book), {"pickup_branch": desk["a"].pk})

    assert response.status_code == 200
    assert "Це видання вже у вас на руках." in response.content.decode()
    assert not Hold.objects.exists()


def test_a_ready_hold_tells_the_reader_where_and_until_when(
    client, desk, book, copy, reader_a, librarian_a
):
    hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])
    loan_checkin(item=copy, branch=desk["a"], acting_user=librarian_a)
    client.force_login(reader_a.user)

    page = client.get(hold_url(book)).content.decode()

    assert "чекає на вас у бібліотеці" in page
    assert "до 9 березня" in page


def test_the_page_is_in_english_under_en(client, desk, book, reader_a):
    client.force_login(reader_a.user)

    page = client.get(hold_url(book, "/en")).content.decode()

    assert "Reserve" in page
    assert "Where to pick it up" in page


def test_a_signed_in_user_without_a_library_card_is_told_how_to_get_one(client, librarian_a, book):
    client.force_login(librarian_a)

    response = client.get(hold_url(book))

    assert "читачі з читацьким квитком" in response.content.decode()
    assert "form" not in response.context or response.context.get("form") is None


def test_junk_in_the_form_is_refused_with_a_message(client, desk, book, reader_a):
    client.force_login(reader_a.user)

    response = client.post(hold_url(book), {"pickup_branch": "\x00" * 3})

    assert response.status_code == 200
    assert not Hold.objects.exists()
    assert "errors" in response.content.decode()


def test_a_title_with_only_reading_room_copies_offers_no_reservation(client, book, copy):
    from catalog.models import Item

    Item.objects.filter(pk=copy.pk).update(status=Item.Status.REFERENCE)

    page = client.get(book.get_absolute_url()).content.decode()

    assert hold_url(book) not in page
