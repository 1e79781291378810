"""Copies change status only through the catalogue's services; names edited in the admin
reach the search index."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError

from catalog.indexing import records_reindex
from catalog.models import Item
from catalog.search import search_records
from catalog.services import item_change_status
from tests.catalog.factories import ItemFactory, PersonFactory, RecordFactory, SubjectFactory

pytestmark = pytest.mark.django_db

ITEMS = "/admin/catalog/item/"


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def titles(query):
    return [record.title for record in search_records(query=query, filters={}).records]


@pytest.fixture
def new_copy(branch_a):
    return ItemFactory(branch=branch_a, status=Item.Status.IN_PROCESSING)


def shelve(client, items):
    return client.post(
        ITEMS,
        {"action": "mark_on_shelf", "_selected_action": [item.pk for item in items]},
        follow=True,
    )


def test_a_librarian_puts_a_processed_copy_on_the_shelf_and_it_is_logged(
    client, librarian_a, new_copy
):
    client.force_login(librarian_a)

    shelve(client, [new_copy])

    new_copy.refresh_from_db()
    assert new_copy.status == Item.Status.ON_SHELF
    entry = LogEntry.objects.get(object_id=str(new_copy.pk))
    assert entry.user == librarian_a
    assert "На полиці" in entry.change_message


def test_a_view_only_methodologist_cannot_put_a_copy_on_the_shelf(client, methodologist, new_copy):
    client.force_login(methodologist)

    listing = client.get(ITEMS)
    shelve(client, [new_copy])

    assert "mark_on_shelf" not in listing.content.decode()
    new_copy.refresh_from_db()
    assert new_copy.status == Item.Status.IN_PROCESSING
    assert not LogEntry.objects.exists()


def test_the_change_form_does_not_let_staff_type_a_new_status(client, librarian_a, new_copy):
    client.force_login(librarian_a)

    client.post(
        change_url(new_copy),
        {
            "record": new_copy.record_id,
            "branch": new_copy.branch_id,
            "barcode": "",
            "shelf_mark": "84(4Укр)",
            "price": "0",
            "status": Item.Status.LOST,
        },
    )

    new_copy.refresh_from_db()
    assert new_copy.shelf_mark == "84(4Укр)"
    assert new_copy.status == Item.Status.IN_PROCESSING


def test_a_lost_copy_found_again_is_shelved_but_a_status_change_never_writes_one_off(
    librarian_a, new_copy
):
    Item.objects.filter(pk=new_copy.pk).update(status=Item.Status.LOST)
    new_copy.refresh_from_db()

    item_change_status(item=new_copy, to=Item.Status.ON_SHELF, acting_user=librarian_a)
    new_copy.refresh_from_db()

    assert new_copy.status == Item.Status.ON_SHELF
    assert not new_copy.can_transition_to(Item.Status.WITHDRAWN)
    with pytest.raises(ValidationError, match="не можна перевести"):
        item_change_status(item=new_copy, to=Item.Status.WITHDRAWN, acting_user=librarian_a)


def test_after_an_author_is_renamed_in_the_admin_search_finds_the_new_name(
    client, librarian_a, django_capture_on_commit_callbacks
):
    author = PersonFactory(name="Косач, Лариса")
    record = RecordFactory(title="Лісова пісня", authors=[author])
    records_reindex([record.pk])
    client.force_login(librarian_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(author), {"name": "Українка, Леся", "dates": ""})

    assert response.status_code == 302
    assert titles("Українка") == ["Лісова пісня"]
    assert titles("Косач") == []


def test_after_a_subject_is_renamed_in_the_admin_search_finds_the_new_heading(
    client, librarian_a, django_capture_on_commit_callbacks
):
    subject = SubjectFactory(name="Краєзнавство")
    record = RecordFactory(title="Луцький замок", subjects=[subject])
    records_reindex([record.pk])
    client.force_login(librarian_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(subject), {"name": "Волинезнавство"})

    assert response.status_code == 302
    assert titles("Волинезнавство") == ["Луцький замок"]
