"""A librarian writes off copies of her own library (picked in the list of copies, or typed and
scanned into an act) and takes in new copies found by ISBN, title or author, with scanned
barcodes and a minimal record when the book is not in the catalogue yet."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.urls import reverse

from catalog.indexing import records_reindex
from catalog.models import IntakeBatch, Item, Record, Withdrawal
from tests.catalog.factories import ItemFactory, RecordFactory

pytestmark = pytest.mark.django_db

ITEMS = "/admin/catalog/item/"
DJANGO_TYPO = "Зробить"


@pytest.fixture
def shelf_a(branch_a):
    return [
        ItemFactory(branch=branch_a, inventory_number=f"05-000000{n}", barcode=f"480000{n}")
        for n in (1, 2, 3)
    ]


@pytest.fixture
def batch_a(branch_a):
    return IntakeBatch.objects.create(
        branch=branch_a, source=IntakeBatch.Source.BUDGET, act_number="21"
    )


def add_copies_url(batch):
    return reverse("admin:catalog_intakebatch_add_copies", args=[batch.pk])


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def withdraw_from_list(client, items, **act):
    data = {"action": "withdraw_selected", "_selected_action": [item.pk for item in items]}
    if act:
        data |= {"_withdraw": "Списати", **act}
    return client.post(ITEMS, data, follow=True)


# --- Write-off ----------------------------------------------------------------------------


def test_a_librarian_writes_off_copies_picked_in_the_list_of_copies(client, librarian_a, shelf_a):
    client.force_login(librarian_a)

    asked = withdraw_from_list(client, shelf_a[:2])
    done = withdraw_from_list(
        client, shelf_a[:2], act_number="7", date="2026-11-20", reason="worn_out", note=""
    )

    assert "Акт списання" in asked.content.decode()
    assert "Списано 2 примірники за актом № 7." in texts(done)
    act = Withdrawal.objects.get()
    assert act.branch == shelf_a[0].branch
    assert {item.status for item in act.items.all()} == {Item.Status.WITHDRAWN}
    assert Item.objects.get(pk=shelf_a[2].pk).status == Item.Status.ON_SHELF
    # One history entry for the act, written by the service, not a second one by the admin.
    assert LogEntry.objects.filter(object_id=str(act.pk)).count() == 1


def test_a_librarian_cannot_pick_another_librarys_copies_to_write_off(client, librarian_b, shelf_a):
    client.force_login(librarian_b)

    response = withdraw_from_list(
        client, shelf_a[:1], act_number="7", date="2026-11-20", reason="worn_out"
    )

    assert "Не вибрано жодного примірника вашої бібліотеки." in texts(response)
    assert not Withdrawal.objects.exists()


def test_a_copy_on_loan_among_the_picked_ones_is_named_and_nothing_is_written_off(
    client, librarian_a, shelf_a
):
    Item.objects.filter(pk=shelf_a[1].pk).update(status=Item.Status.ON_LOAN)
    client.force_login(librarian_a)

    response = withdraw_from_list(
        client, shelf_a, act_number="8", date="2026-11-20", reason="worn_out"
    )

    assert "05-0000002: примірник видано читачеві." in response.content.decode()
    assert not Withdrawal.objects.exists()
    assert not Item.objects.filter(status=Item.Status.WITHDRAWN).exists()


def test_an_act_number_already_used_by_the_library_is_refused_in_plain_ukrainian(
    client, librarian_a, shelf_a
):
    Withdrawal.objects.create(branch=shelf_a[0].branch, act_number="7", reason="worn_out")
    client.force_login(librarian_a)

    response = withdraw_from_list(
        client, shelf_a[:1], act_number="7", date="2026-11-20", reason="worn_out"
    )

    content = response.content.decode()
    assert "Акт списання № 7 цієї бібліотеки вже є; дайте новому інший номер." in content
    assert Withdrawal.objects.count() == 1


def test_a_librarian_writes_off_by_scanning_barcodes_into_the_act(client, librarian_a, shelf_a):
    client.force_login(librarian_a)

    response = client.post(
        reverse("admin:catalog_withdrawal_add"),
        {
            "branch": shelf_a[0].branch_id,
            "date": "2026-11-20",
            "act_number": "9",
            "reason": "damaged",
            "note": "",
            # The scanner types the code and Enter; the second copy is named by its number.
            "inventory_numbers": "4800001\r\n05-0000002\r\n4800002\r\n",
        },
    )

    assert response.status_code == 302
    act = Withdrawal.objects.get()
    assert set(act.items.values_list("inventory_number", flat=True)) == {
        "05-0000001",
        "05-0000002",
    }
    assert LogEntry.objects.filter(object_id=str(act.pk)).count() == 1


def test_a_librarian_cannot_write_off_another_librarys_copy_by_typing_its_number(
    client, librarian_b, shelf_a, branch_b
):
    client.force_login(librarian_b)

    response = client.post(
        reverse("admin:catalog_withdrawal_add"),
        {
            "branch": branch_b.pk,
            "date": "2026-11-20",
            "act_number": "1",
            "reason": "damaged",
            "inventory_numbers": "05-0000001",
        },
    )

    assert "05-0000001: примірник належить іншій бібліотеці." in response.content.decode()
    assert not Withdrawal.objects.exists()


# --- Intake by ISBN -------------------------------------------------------------------------


def test_an_isbn_typed_with_hyphens_finds_and_picks_its_record(client, librarian_a, batch_a):
    record = RecordFactory(title="Лісова пісня", authors=["Українка, Леся"], isbn="9789660345812")
    client.force_login(librarian_a)

    response = client.post(
        add_copies_url(batch_a),
        {"lines-TOTAL_FORMS": "1", "lines-0-query": "978-966-03-4581-2", "_find": "0"},
    )

    content = response.content.decode()
    assert "Лісова пісня / Українка, Леся, 2020, 978-966-03-4581-2" in content
    assert f'name="lines-0-record" value="{record.pk}"' in content


def test_a_title_found_in_several_editions_offers_them_to_choose(client, librarian_a, batch_a):
    older = RecordFactory(title="Лісова пісня", authors=["Українка, Леся"], year=1990)
    newer = RecordFactory(title="Лісова пісня", authors=["Українка, Леся"], year=2021)
    records_reindex([older.pk, newer.pk])
    client.force_login(librarian_a)

    response = client.post(
        add_copies_url(batch_a),
        {"lines-TOTAL_FORMS": "1", "lines-0-query": "лісова пісня", "_find": "0"},
    )

    content = response.content.decode()
    assert "Оберіть запис для рядка 1" in content
    assert f'type="radio" name="lines-0-record" value="{older.pk}"' in content
    assert f'type="radio" name="lines-0-record" value="{newer.pk}"' in content


def test_the_suggestions_under_the_box_find_records_by_author(client, librarian_a):
    record = RecordFactory(title="Тіні забутих предків", authors=["Коцюбинський, Михайло"])
    records_reindex([record.pk])
    client.force_login(librarian_a)

    found = client.get(reverse("admin:catalog_intakebatch_records"), {"q": "коцюбинськ"}).json()

    assert [row["id"] for row in found] == [record.pk]
    assert found[0]["label"].startswith("Тіні забутих предків / Коцюбинський, Михайло")


@pytest.mark.parametrize(
    ("copies", "message"),
    [(1, "Додано 1 примірник"), (3, "Додано 3 примірники"), (5, "Додано 5 примірників")],
)
def test_the_added_copies_are_counted_in_proper_ukrainian(
    client, librarian_a, batch_a, copies, message
):
    record = RecordFactory(title="Кайдашева сімʼя")
    client.force_login(librarian_a)

    response = client.post(
        add_copies_url(batch_a),
        {
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-query": record.title,
            "lines-0-record": record.pk,
            "lines-0-copies": str(copies),
            "_add": "Додати примірники",
        },
        follow=True,
    )

    assert texts(response)[0].startswith(message + ":")
    assert batch_a.items.count() == copies


def test_scanned_barcodes_go_to_the_new_copies_and_a_taken_one_is_refused(
    client, librarian_a, batch_a, shelf_a
):
    record = RecordFactory(title="Захар Беркут")
    client.force_login(librarian_a)
    post = {
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-record": record.pk,
        "lines-0-query": record.title,
        "_add": "Додати примірники",
    }

    refused = client.post(
        add_copies_url(batch_a), post | {"lines-0-barcodes": "4900001\n4800001"}, follow=True
    )
    added = client.post(
        add_copies_url(batch_a), post | {"lines-0-barcodes": "4900001\n4900002\n"}, follow=True
    )

    assert "Штрихкод 4800001 уже має примірник 05-0000001." in texts(refused)
    assert "Додано 2 примірники" in texts(added)[0]
    assert set(batch_a.items.values_list("barcode", flat=True)) == {"4900001", "4900002"}


def test_a_row_without_a_picked_record_says_what_to_do_and_keeps_the_typed_text(
    client, librarian_a, batch_a
):
    client.force_login(librarian_a)

    response = client.post(
        add_copies_url(batch_a),
        {
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-query": "Невідома книга",
            "lines-0-record": "999999",
            "lines-0-copies": "2",
            "_add": "Додати примірники",
        },
    )

    content = response.content.decode()
    assert "Такого запису в каталозі немає: знайдіть його ще раз." in content
    assert 'value="Невідома книга"' in content
    assert DJANGO_TYPO not in content
    assert not batch_a.items.exists()


def test_a_book_missing_from_the_catalogue_gets_a_minimal_record_picked_in_a_free_row(
    client, librarian_a, batch_a
):
    kept = RecordFactory(title="Intermezzo")
    client.force_login(librarian_a)

    response = client.post(
        add_copies_url(batch_a),
        {
            "lines-TOTAL_FORMS": "2",
            "lines-0-record": kept.pk,
            "lines-0-copies": "2",
            "new-title": "Місто",
            "new-author": "Підмогильний, Валерʼян",
            "new-year": "2023",
            "new-isbn": "978-966-03-4581-2",
            "_create_record": "1",
        },
    )

    created = Record.objects.get(title="Місто")
    assert created.isbn == "9789660345812"
    assert [person.name for person in created.authors()] == ["Підмогильний, Валерʼян"]
    content = response.content.decode()
    assert "Створено запис «Місто»; його вибрано в рядку 2." in content
    assert f'name="lines-0-record" value="{kept.pk}"' in content
    assert f'name="lines-1-record" value="{created.pk}"' in content
    assert LogEntry.objects.filter(object_id=str(created.pk), user=librarian_a).exists()


def test_a_minimal_record_with_a_wrong_or_known_isbn_is_refused(client, librarian_a, batch_a):
    RecordFactory(title="Кобзар", isbn="9789660345812")
    client.force_login(librarian_a)

    def create(isbn):
        return client.post(
            add_copies_url(batch_a),
            {
                "lines-TOTAL_FORMS": "0",
                "new-title": "Кобзар",
                "new-isbn": isbn,
                "_create_record": "1",
            },
        ).content.decode()

    assert "«978-966-03-4581-3» — не дійсний ISBN: перевірте цифри." in create("978-966-03-4581-3")
    assert "Запис із цим ISBN уже є в каталозі" in create("9789660345812")
    assert Record.objects.filter(title="Кобзар").count() == 1


def test_more_rows_keep_what_was_typed(client, librarian_a, batch_a):
    client.force_login(librarian_a)

    response = client.post(
        add_copies_url(batch_a),
        {
            "lines-TOTAL_FORMS": "3",
            "lines-0-shelf_mark": "84(4Укр)6",
            "lines-0-copies": "4",
            "_more": "1",
        },
    )

    content = response.content.decode()
    assert 'value="84(4Укр)6"' in content
    assert 'name="lines-6-query"' in content
