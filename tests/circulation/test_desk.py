"""The circulation desk through the client: a scanner types a number and presses Enter."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from catalog.models import Item
from circulation.models import Hold, Loan
from circulation.services import hold_place, loan_checkout
from core.tz import KYIV
from tests.catalog.factories import ItemFactory, RecordFactory
from tests.circulation.factories import make_reader_profile

pytestmark = pytest.mark.django_db

CHECKOUT = "/desk/checkout/"
CHECKIN = "/desk/checkin/"
OLD = datetime(2020, 1, 1, tzinfo=KYIV)


def scan(client, url, code):
    """POST one scan and follow the redirect back (PRG), as the browser does."""
    response = client.post(url, {"code": code})
    assert response.status_code == 302
    assert response["Location"] == url
    return client.get(url)


def text(response):
    return response.content.decode()


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def at_a(client, librarian_a):
    client.force_login(librarian_a)
    return client


# --- check-out -------------------------------------------------------------------------------


def test_a_librarian_scans_the_card_then_the_copy_and_the_copy_is_lent(desk, copy, reader_a, at_a):
    page = scan(at_a, CHECKOUT, reader_a.card_number)
    assert f"квиток № {reader_a.card_number}" in text(page)
    assert reader_a.user.get_full_name() in text(page)

    page = scan(at_a, CHECKOUT, copy.inventory_number)

    loan = Loan.objects.get(item=copy)
    assert loan.reader == reader_a and loan.branch == desk["a"]
    assert messages_of(page) == [
        f"Видано «Лісова пісня» ({copy.inventory_number}) до {loan.due_on:%d.%m.%Y}."
    ]
    assert "щойно видано" in text(page)
    # The field is empty and focused for the next scan.
    assert 'name="code" id="id_code" maxlength="40" autocomplete="off"' in text(page)
    assert "autofocus" in text(page)
    assert f'value="{copy.inventory_number}"' not in text(page)


def test_a_copy_scanned_by_its_barcode_is_lent_too(desk, book, reader_a, at_a):
    second = ItemFactory(record=book, branch=desk["a"], barcode="2000000012345", added_at=OLD)
    scan(at_a, CHECKOUT, reader_a.card_number)
    scan(at_a, CHECKOUT, "2000000012345")
    assert Loan.objects.get(item=second).reader == reader_a


def test_a_copy_before_any_card_asks_for_the_card_and_lends_nothing(desk, copy, at_a):
    page = scan(at_a, CHECKOUT, copy.inventory_number)
    assert messages_of(page) == [
        f"Читача з квитком № {copy.inventory_number} не знайдено. "
        "Спершу відскануйте читацький квиток."
    ]
    assert not Loan.objects.exists()


def test_a_refused_check_out_shows_the_reason(desk, copy, reader_a, at_a):
    copy.status = Item.Status.REFERENCE
    copy.save()
    scan(at_a, CHECKOUT, reader_a.card_number)
    page = scan(at_a, CHECKOUT, copy.inventory_number)
    assert messages_of(page) == [
        f"Примірник {copy.inventory_number} видається лише в читальній залі."
    ]
    assert not Loan.objects.exists()


def test_an_unknown_code_is_explained(desk, reader_a, at_a):
    scan(at_a, CHECKOUT, reader_a.card_number)
    page = scan(at_a, CHECKOUT, "НЕМАЄ-123")
    assert messages_of(page) == ["Примірника з номером НЕМАЄ-123 немає в каталозі."]


@pytest.mark.parametrize("code", ["12\x0034", "", "9" * 41])
def test_garbage_from_a_scanner_gets_a_message_not_an_error(desk, at_a, code):
    response = at_a.post(CHECKOUT, {"code": code})
    assert response.status_code == 302
    page = at_a.get(CHECKOUT)
    assert len(messages_of(page)) == 1
    assert not Loan.objects.exists()


def test_another_card_starts_the_next_readers_visit(desk, reader_a, reader_b, at_a):
    scan(at_a, CHECKOUT, reader_a.card_number)
    page = scan(at_a, CHECKOUT, reader_b.card_number)
    assert f"квиток № {reader_b.card_number}" in text(page)
    assert reader_a.user.get_full_name() not in text(page)


def test_the_desk_warns_of_overdue_loans_the_limit_and_shows_holds_waiting_here(
    desk, freeze_now, book, reader_a, librarian_a, at_a
):
    copies = [ItemFactory(record=RecordFactory(), branch=desk["a"], added_at=OLD) for _ in range(5)]
    freeze_now(datetime(2026, 1, 5, 11, 0, tzinfo=KYIV))
    loan_checkout(item=copies[0], reader=reader_a, branch=desk["a"], acting_user=librarian_a)
    freeze_now(datetime(2026, 3, 2, 11, 0, tzinfo=KYIV))
    at_a.force_login(librarian_a)
    for item in copies[1:]:
        loan_checkout(item=item, reader=reader_a, branch=desk["a"], acting_user=librarian_a)
    hold = hold_place(record=book, reader=reader_a, pickup_branch=desk["a"])
    Hold.objects.filter(pk=hold.pk).update(
        status=Hold.Status.READY,
        item=book.items.get(),
        expires_on=datetime(2026, 3, 6).date(),
    )

    page = scan(at_a, CHECKOUT, reader_a.card_number)

    assert "Прострочено 1 документ." in text(page)
    assert "Досягнуто ліміту: на руках 5 документів, більше не можна." in text(page)
    assert "Замовлене чекає тут" in text(page)
    assert "до 06.03.2026" in text(page)


def test_a_desk_renewal_extends_the_loan(desk, freeze_now, copy, reader_a, librarian_a, at_a):
    loan = loan_checkout(item=copy, reader=reader_a, branch=desk["a"], acting_user=librarian_a)
    freeze_now(datetime(2026, 3, 20, 11, 0, tzinfo=KYIV))
    at_a.force_login(librarian_a)  # a new working day, a new sign-in
    scan(at_a, CHECKOUT, reader_a.card_number)

    at_a.post(reverse("circulation:desk_renew", args=[loan.pk]))

    loan.refresh_from_db()
    assert loan.renewals_used == 1
    page = at_a.get(CHECKOUT)
    assert messages_of(page) == [f"«Лісова пісня» продовжено до {loan.due_on:%d.%m.%Y}."]


def test_a_desk_renewal_is_refused_with_the_reason_when_others_wait(
    desk, copy, book, reader_a, reader_b, librarian_a, at_a
):
    loan = loan_checkout(item=copy, reader=reader_a, branch=desk["a"], acting_user=librarian_a)
    hold_place(record=book, reader=reader_b, pickup_branch=desk["b"])
    page = scan(at_a, CHECKOUT, reader_a.card_number)
    assert "На цей документ чекають інші читачі." in text(page)

    at_a.post(reverse("circulation:desk_renew", args=[loan.pk]))

    page = at_a.get(CHECKOUT)
    assert messages_of(page) == [
        "«Лісова пісня» не продовжено: На цей документ чекають інші читачі, "
        "тому продовжити не можна."
    ]
    loan.refresh_from_db()
    assert loan.renewals_used == 0


def test_only_the_loans_of_the_reader_at_the_desk_can_be_renewed_there(
    desk, copy, reader_a, reader_b, librarian_a, at_a
):
    loan = loan_checkout(item=copy, reader=reader_a, branch=desk["a"], acting_user=librarian_a)
    scan(at_a, CHECKOUT, reader_b.card_number)
    response = at_a.post(reverse("circulation:desk_renew", args=[loan.pk]))
    assert response.status_code == 404


def test_the_receipt_lists_what_was_lent_in_this_visit_with_due_dates(
    desk, book, reader_a, librarian_a, at_a
):
    earlier = ItemFactory(record=RecordFactory(title="Кобзар"), branch=desk["a"], added_at=OLD)
    loan_checkout(item=earlier, reader=reader_a, branch=desk["a"], acting_user=librarian_a)
    scan(at_a, CHECKOUT, reader_a.card_number)
    scan(at_a, CHECKOUT, book.items.get().inventory_number)

    receipt = at_a.get(reverse("circulation:desk_receipt"))

    assert "Квитанція про видачу" in text(receipt)
    assert "Лісова пісня" in text(receipt)
    assert "Кобзар" not in text(receipt)  # lent before this visit
    assert "01.04.2026" in text(receipt)
    assert "@media print" not in text(receipt)  # print rules live in the stylesheet


def test_finishing_the_visit_asks_for_the_next_card(desk, reader_a, at_a):
    scan(at_a, CHECKOUT, reader_a.card_number)
    at_a.post(reverse("circulation:desk_finish"))
    page = at_a.get(CHECKOUT)
    assert "Номер читацького квитка" in text(page)
    assert reader_a.card_number not in text(page)


def test_the_check_out_page_of_a_reader_takes_a_fixed_number_of_queries(
    desk, reader_a, librarian_a, at_a, django_assert_num_queries
):
    for _ in range(3):
        item = ItemFactory(record=RecordFactory(), branch=desk["a"], added_at=OLD)
        loan_checkout(item=item, reader=reader_a, branch=desk["a"], acting_user=librarian_a)
    scan(at_a, CHECKOUT, reader_a.card_number)
    # session, user, staff profile, permissions (2), the desk's library, reader, loans, holds,
    # loan policy, others' holds on the loans (the footer is cached by the scan's page) —
    # however many
    with django_assert_num_queries(11):
        page = at_a.get(CHECKOUT)
    assert page.status_code == 200


# --- check-in --------------------------------------------------------------------------------


def test_a_copy_returned_at_its_library_goes_on_the_shelf(desk, copy, reader_a, librarian_a, at_a):
    loan_checkout(item=copy, reader=reader_a, branch=desk["a"], acting_user=librarian_a)
    page = scan(at_a, CHECKIN, copy.inventory_number)
    assert messages_of(page) == [f"«Лісова пісня» ({copy.inventory_number}): На полицю."]
    copy.refresh_from_db()
    assert copy.status == Item.Status.ON_SHELF
    assert "Щойно прийнято" in text(page)


def test_a_copy_returned_at_another_library_goes_in_transit_home(
    desk, client, copy, reader_a, librarian_a, librarian_b
):
    loan_checkout(item=copy, reader=reader_a, branch=desk["a"], acting_user=librarian_a)
    client.force_login(librarian_b)
    page = scan(client, CHECKIN, copy.inventory_number)
    assert messages_of(page) == [
        f"«Лісова пісня» ({copy.inventory_number}): В дорогу до бібліотеки «{desk['a'].name}»."
    ]


def test_a_returned_copy_wanted_here_goes_on_the_hold_shelf_for_the_reader(
    desk, copy, book, reader_a, reader_b, librarian_a, at_a
):
    loan_checkout(item=copy, reader=reader_a, branch=desk["a"], acting_user=librarian_a)
    hold_place(record=book, reader=reader_b, pickup_branch=desk["a"])
    page = scan(at_a, CHECKIN, copy.inventory_number)
    hold = Hold.objects.get(reader=reader_b)
    assert hold.status == Hold.Status.READY
    assert messages_of(page) == [
        f"«Лісова пісня» ({copy.inventory_number}): На полицю замовлень: чекає на читача "
        f"з квитком № {reader_b.card_number} до {hold.expires_on:%d.%m.%Y}."
    ]


def test_a_late_return_says_how_late(desk, freeze_now, copy, reader_a, librarian_a, at_a):
    loan = loan_checkout(item=copy, reader=reader_a, branch=desk["a"], acting_user=librarian_a)
    freeze_now(datetime.combine(loan.due_on + timedelta(days=2), datetime.min.time(), KYIV))
    at_a.force_login(librarian_a)
    page = scan(at_a, CHECKIN, copy.inventory_number)
    assert messages_of(page)[0].endswith("Повернуто із запізненням на 2 дні.")


def test_a_copy_not_on_loan_cannot_be_checked_in(desk, copy, at_a):
    copy.status = Item.Status.IN_PROCESSING
    copy.save()
    page = scan(at_a, CHECKIN, copy.inventory_number)
    assert messages_of(page) == [
        f"Примірник {copy.inventory_number} не видавався: його стан «В обробці»."
    ]


# --- who may use the desk, and what they see ---------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_sign_in(desk, client):
    response = client.get(CHECKOUT)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/desk/checkout/")


def test_a_reader_cannot_open_the_desk(desk, client, reader_a):
    client.force_login(reader_a.user)
    assert client.get(CHECKOUT).status_code == 403
    assert client.post(CHECKIN, {"code": "1"}).status_code == 403


def test_the_home_library_desk_sees_the_readers_contacts(desk, reader_a, at_a):
    page = scan(at_a, CHECKOUT, reader_a.card_number)
    assert reader_a.user.email in text(page)


def test_another_librarys_desk_sees_only_what_lending_needs(desk, client, reader_a, librarian_b):
    """Readers borrow anywhere in the network, so B's desk opens A's reader by the exact card
    number — name, loans and holds — but not their contacts."""
    client.force_login(librarian_b)
    page = scan(client, CHECKOUT, reader_a.card_number)
    assert reader_a.user.get_full_name() in text(page)
    assert reader_a.user.email not in text(page)


def test_a_desk_lends_for_its_own_library(desk, client, copy, reader_a, librarian_b):
    client.force_login(librarian_b)
    scan(client, CHECKOUT, reader_a.card_number)
    scan(client, CHECKOUT, copy.inventory_number)
    assert Loan.objects.get().branch == desk["b"]


def test_a_methodologist_chooses_the_library_first(desk, client, methodologist, reader_a):
    client.force_login(methodologist)
    assert client.get(CHECKOUT)["Location"] == reverse("circulation:desk_branch")
    client.post(reverse("circulation:desk_branch"), {"branch": desk["b"].pk})
    page = client.get(CHECKOUT)
    assert f"Кафедра видачі: {desk['b'].name}" in text(page)


def test_the_desk_speaks_english_under_en(desk, copy, reader_a, at_a):
    page = scan(at_a, "/en/desk/checkout/", reader_a.card_number)
    assert "Check-out" in text(page)
    page = scan(at_a, "/en/desk/checkout/", copy.inventory_number)
    assert messages_of(page)[0].startswith("Lent «Лісова пісня»")


def test_a_second_reader_of_a_library_is_shown_with_plural_forms(desk, reader_a, librarian_a, at_a):
    reader = make_reader_profile(branch=desk["a"])
    for _ in range(2):
        item = ItemFactory(record=RecordFactory(), branch=desk["a"], added_at=OLD)
        loan = loan_checkout(item=item, reader=reader, branch=desk["a"], acting_user=librarian_a)
        Loan.objects.filter(pk=loan.pk).update(due_on=datetime(2026, 2, 1).date())
    page = scan(at_a, CHECKOUT, reader.card_number)
    assert "Прострочено 2 документи." in text(page)
