"""Adding a reader's card in the admin: a librarian picks the person from a list they may see."""

import pytest

from accounts.models import ReaderProfile
from tests.factories import UserFactory, make_reader

pytestmark = pytest.mark.django_db

ADD = "/admin/accounts/readerprofile/add/"


def test_a_librarian_picks_the_reader_from_a_list_without_a_forbidden_user_lookup(
    client, librarian_a, branch_a
):
    newcomer = UserFactory(username="newcomer", first_name="Олена", last_name="Іваненко")
    make_reader(username="has-a-card", branch=branch_a)
    client.force_login(librarian_a)
    response = client.get(ADD)
    assert response.status_code == 200
    html = response.content.decode()
    # No magnifier into the user admin, which answers a librarian with 403.
    assert "/admin/accounts/user/?_to_field" not in html
    assert client.get("/admin/accounts/user/?_to_field=id").status_code == 403
    choices = list(response.context["adminform"].form.fields["user"].queryset)
    assert newcomer in choices
    assert all(user.username != "has-a-card" for user in choices)  # one card per person
    assert "Іваненко Олена" in html


def test_a_librarian_can_add_a_reader_profile(client, librarian_a, branch_a):
    newcomer = UserFactory(username="newcomer")
    client.force_login(librarian_a)
    response = client.post(
        ADD,
        {
            "user": newcomer.pk,
            "card_number": ReaderProfile.card_number_for(42),
            "home_branch": branch_a.pk,
            "category": ReaderProfile.Category.ADULT,
            "consent_given_at_0": "2026-11-20",
            "consent_given_at_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    profile = ReaderProfile.objects.get(user=newcomer)
    assert profile.home_branch == branch_a


def test_editing_a_card_keeps_its_holder_in_the_list(client, librarian_a, branch_a):
    holder = make_reader(username="holder", branch=branch_a)
    client.force_login(librarian_a)
    response = client.get(f"/admin/accounts/readerprofile/{holder.reader_profile.pk}/change/")
    assert response.status_code == 200
    assert holder in response.context["adminform"].form.fields["user"].queryset


def test_the_list_to_give_a_card_from_leaves_out_staff_of_other_libraries(
    client, librarian_a, librarian_b, branch_head_a
):
    newcomer = UserFactory(username="newcomer")
    client.force_login(librarian_b)
    response = client.get(ADD)
    choices = set(response.context["adminform"].form.fields["user"].queryset)
    assert newcomer in choices
    assert librarian_b in choices  # a colleague may become a reader of their own library
    assert not choices & {librarian_a, branch_head_a}
    assert librarian_a.email not in response.content.decode()
