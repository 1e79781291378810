"""Names sort in the Ukrainian alphabet — А, Ґ, Є, І, Я — not by code point (where Є and І
come before А and Ґ after Я): the name and title columns people sort by use the collation
`uk_alphabet` (core/migrations/0002). The embedded PostgreSQL is built without ICU; there the
collation keeps the code-point order and these tests are skipped."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.db import uk_collation_is_alphabetical
from tests.events.factories import ClubFactory

pytestmark = pytest.mark.django_db

NAMES = ["Яблуко", "Іваничі", "Євген", "Ґудзик", "Абетка"]
ALPHABETICAL = ["Абетка", "Ґудзик", "Євген", "Іваничі", "Яблуко"]


@pytest.fixture(autouse=True)
def _icu():
    if not uk_collation_is_alphabetical():
        pytest.skip("this PostgreSQL has no ICU: uk_alphabet is the code-point order")


def in_page_order(page, names):
    return sorted(names, key=page.index)


def test_the_collation_sorts_the_ukrainian_alphabet():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT x FROM unnest(%s::text[]) AS x ORDER BY x COLLATE uk_alphabet", [NAMES]
        )
        assert [row[0] for row in cursor.fetchall()] == ALPHABETICAL


def test_an_admin_list_sorts_names_in_the_ukrainian_alphabet(client):
    from events.models import Topic

    for n, name in enumerate(NAMES):
        Topic.objects.create(name=f"{name} тема", slug=f"topic-{n}")
    root = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(root)

    page = client.get(reverse("admin:events_topic_changelist")).content.decode()

    shown = [f"{name} тема" for name in NAMES]
    assert in_page_order(page, shown) == [f"{name} тема" for name in ALPHABETICAL]


def test_the_list_of_clubs_sorts_names_in_the_ukrainian_alphabet(client, branch_a):
    for n, name in enumerate(NAMES):
        ClubFactory(name=f"{name} клуб", slug=f"club-abc-{n}", branch=branch_a)

    page = client.get(reverse("events:clubs")).content.decode()

    found = re.findall(r"(\w+) клуб", page)
    assert [name for name in found if name in NAMES] == ALPHABETICAL


def test_a_unique_name_stays_unique_and_searchable():
    from django.db import IntegrityError, transaction

    from catalog.models import Person

    Person.objects.create(name="Іваничук, Роман")
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(name="Іваничук, Роман")

    assert Person.objects.filter(name__icontains="іванич").count() == 1
    assert Person.objects.filter(name__startswith="Іван").count() == 1
