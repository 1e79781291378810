"""Readers in the admin: the desk registers a reader in one form, and a card's holder is
picked from a list the librarian may see."""

import pytest
from django.utils import timezone

from accounts.models import ReaderProfile, User
from tests.factories import UserFactory, make_reader

pytestmark = pytest.mark.django_db

ADD = "/admin/accounts/readerprofile/add/"
THIS_YEAR = timezone.localdate().year


def desk_form(branch, **overrides):
    data = {
        "last_name": "Іваненко",
        "first_name": "Олена",
        "birth_year": "1985",
        "email": "ivanenko@example.org",
        "phone": "0671234567",
        "home_branch": branch.pk,
        "category": "",
        "guardian_name": "",
        "guardian_contact": "",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_a_librarian_registers_a_reader_at_the_desk_in_one_form(client, librarian_a, branch_a):
    client.force_login(librarian_a)

    response = client.post(ADD, desk_form(branch_a))

    assert response.status_code == 302, response.context["adminform"].form.errors
    profile = ReaderProfile.objects.select_related("user").get(user__last_name="Іваненко")
    assert profile.home_branch == branch_a
    assert profile.status == ReaderProfile.Status.ACTIVE
    assert profile.document_checked_by == librarian_a
    assert profile.document_checked_on == timezone.localdate()
    assert profile.category == ReaderProfile.Category.ADULT
    assert profile.user.email == "ivanenko@example.org"
    assert profile.user.phone == "+380671234567"
    assert response["Location"].endswith(f"/{profile.pk}/change/")


def test_staff_may_set_the_category_for_special_needs(client, librarian_a, branch_a):
    client.force_login(librarian_a)

    client.post(ADD, desk_form(branch_a, category=ReaderProfile.Category.SPECIAL_NEEDS))

    assert ReaderProfile.objects.get().category == ReaderProfile.Category.SPECIAL_NEEDS


def test_the_desk_form_asks_for_a_guardian_of_a_child(client, librarian_a, branch_a):
    client.force_login(librarian_a)

    response = client.post(ADD, desk_form(branch_a, birth_year=str(THIS_YEAR - 9)))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "guardian_name" in errors and "guardian_contact" in errors
    assert not ReaderProfile.objects.exists()


def test_the_desk_form_refuses_an_e_mail_another_reader_has(client, librarian_a, branch_a):
    make_reader(username="first", branch=branch_a)
    client.force_login(librarian_a)

    response = client.post(ADD, desk_form(branch_a, email="first@example.org"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == [
        "Читач з такою е-поштою вже записаний."
    ]
    assert ReaderProfile.objects.count() == 1


def test_a_librarian_cannot_register_a_reader_for_another_library(
    client, librarian_a, branch_a, branch_b
):
    client.force_login(librarian_a)

    client.post(ADD, desk_form(branch_b))

    assert not ReaderProfile.objects.filter(home_branch=branch_b).exists()


def test_editing_a_card_keeps_its_holder_in_the_list(client, librarian_a, branch_a):
    holder = make_reader(username="holder", branch=branch_a)
    client.force_login(librarian_a)
    response = client.get(f"/admin/accounts/readerprofile/{holder.reader_profile.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert holder in response.context["adminform"].form.fields["user"].queryset
    # No magnifier into the user admin, which answers a librarian with 403.
    assert "/admin/accounts/user/?_to_field" not in html
    assert client.get("/admin/accounts/user/?_to_field=id").status_code == 403


def test_the_list_to_give_a_card_from_leaves_out_staff_of_other_libraries(
    client, librarian_a, librarian_b, branch_head_a, branch_b
):
    newcomer = UserFactory(username="newcomer")
    holder = make_reader(username="holder-b", branch=branch_b, card_sequence=2)
    client.force_login(librarian_b)
    response = client.get(f"/admin/accounts/readerprofile/{holder.reader_profile.pk}/change/")
    choices = set(response.context["adminform"].form.fields["user"].queryset)
    assert newcomer in choices
    assert librarian_b in choices  # a colleague may become a reader of their own library
    assert not choices & {librarian_a, branch_head_a}
    assert librarian_a.email not in response.content.decode()
    assert User.objects.filter(pk=holder.pk).exists()
