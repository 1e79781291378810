"""Staff: the three groups from the data migration, the staff profile's rule, and who may see
readers' personal data in the admin."""

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction

from accounts.models import StaffProfile
from tests.factories import UserFactory, make_reader

LIBRARIAN, BRANCH_HEAD, METHODOLOGIST = "Бібліотекар", "Завідувач філії", "Методист"
READERS = "/admin/accounts/readerprofile/"


def test_the_eight_libraries_of_the_plan_arrive_by_migration(db):
    from branches.models import Branch

    assert sorted(Branch.objects.values_list("slug", flat=True)) == sorted(
        [
            "central",
            "central-children",
            "branch-5",
            "branch-7",
            "branch-10",
            "branch-11",
            "children-2",
            "children-3",
        ]
    )


def test_the_three_staff_groups_exist(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {
        LIBRARIAN,
        BRANCH_HEAD,
        METHODOLOGIST,
    }


@pytest.mark.parametrize(
    "permission",
    [
        "branches.add_closure",
        "branches.change_closure",
        "branches.view_branch",
        "accounts.add_readerprofile",
        "accounts.view_readerprofile",
    ],
)
def test_librarian_may(librarian_a, permission):
    assert librarian_a.has_perm(permission)


@pytest.mark.parametrize(
    "permission",
    [
        "branches.change_branch",
        "branches.add_branch",
        "branches.change_openinghours",
        "accounts.delete_readerprofile",
        "accounts.view_staffprofile",
        "accounts.view_user",
    ],
)
def test_librarian_may_not(librarian_a, permission):
    assert not librarian_a.has_perm(permission)


@pytest.mark.parametrize(
    "permission",
    [
        "branches.change_branch",
        "branches.change_openinghours",
        "branches.add_zone",
        "branches.add_closure",
        "accounts.view_staffprofile",
    ],
)
def test_branch_head_may(branch_head_a, permission):
    assert branch_head_a.has_perm(permission)


@pytest.mark.parametrize("permission", ["branches.add_branch", "branches.delete_branch"])
def test_branch_head_may_not(branch_head_a, permission):
    assert not branch_head_a.has_perm(permission)


@pytest.mark.parametrize(
    "permission",
    [
        "branches.add_branch",
        "branches.change_branch",
        "branches.add_service",
        "branches.add_specialization",
        "branches.add_closure",
    ],
)
def test_methodologist_may(methodologist, permission):
    assert methodologist.has_perm(permission)


def test_methodologist_does_not_see_readers_personal_data(methodologist):
    assert not methodologist.has_perm("accounts.view_readerprofile")


def test_librarian_without_a_library_is_refused_by_the_database(db):
    with transaction.atomic(), pytest.raises(IntegrityError):
        StaffProfile.objects.create(
            user=UserFactory(is_staff=True), role=StaffProfile.Role.LIBRARIAN, branch=None
        )


def test_branch_head_without_a_library_is_refused_by_the_database(db):
    with transaction.atomic(), pytest.raises(IntegrityError):
        StaffProfile.objects.create(
            user=UserFactory(is_staff=True), role=StaffProfile.Role.BRANCH_HEAD, branch=None
        )


def test_methodologist_works_without_a_library(methodologist):
    profile = methodologist.staff_profile

    assert profile.branch is None
    assert profile.is_network_wide


def test_librarian_is_not_network_wide(librarian_a):
    assert not librarian_a.staff_profile.is_network_wide


# --- readers' personal data in the admin -------------------------------------------------------


def test_librarian_sees_readers_of_their_own_library(client, librarian_a, reader):
    client.force_login(librarian_a)

    response = client.get(READERS)

    assert response.status_code == 200
    assert [p.user for p in response.context["cl"].result_list] == [reader]
    assert reader.reader_profile.card_number in response.content.decode()


def test_librarian_of_another_library_does_not_see_those_readers(
    client, librarian_b, reader, branch_b
):
    own_reader = make_reader(username="reader_b", branch=branch_b, card_sequence=2)
    client.force_login(librarian_b)

    response = client.get(READERS)
    body = response.content.decode()

    assert [p.user for p in response.context["cl"].result_list] == [own_reader]
    assert reader.reader_profile.card_number not in body
    assert reader.last_name not in body


def test_librarian_cannot_open_another_librarys_reader(client, librarian_b, reader):
    client.force_login(librarian_b)

    response = client.get(f"{READERS}{reader.reader_profile.pk}/change/")

    assert response.status_code in (302, 404)
    assert reader.last_name not in response.content.decode()


def test_librarian_cannot_find_another_librarys_reader_by_search(client, librarian_b, reader):
    client.force_login(librarian_b)

    response = client.get(READERS, {"q": reader.last_name})

    assert list(response.context["cl"].result_list) == []


def test_librarian_cannot_move_a_reader_to_another_library(client, librarian_a, reader, branch_b):
    profile = reader.reader_profile
    client.force_login(librarian_a)

    client.post(
        f"{READERS}{profile.pk}/change/",
        {
            "user": reader.pk,
            "card_number": profile.card_number,
            "home_branch": branch_b.pk,
            "category": "senior",
            "consent_given_at_0": "2026-01-01",
            "consent_given_at_1": "10:00:00",
        },
    )

    profile.refresh_from_db()
    assert profile.home_branch.slug == "branch-5"


def test_librarian_updates_their_own_readers_category(client, librarian_a, reader):
    profile = reader.reader_profile
    client.force_login(librarian_a)

    response = client.post(
        f"{READERS}{profile.pk}/change/",
        {
            "user": reader.pk,
            "card_number": profile.card_number,
            "home_branch": profile.home_branch_id,
            "category": "senior",
            "consent_given_at_0": "2026-01-01",
            "consent_given_at_1": "10:00:00",
        },
    )

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.category == "senior"
