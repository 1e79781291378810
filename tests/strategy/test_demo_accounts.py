"""`create_demo_admin`: the accounts a reviewer signs in with after `dev.py run`."""

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import StaffProfile, User
from accounts.roles import BRANCH_HEAD, LIBRARIAN, METHODOLOGIST
from branches.models import Branch

pytestmark = pytest.mark.django_db


@pytest.fixture
def dev(settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    return tmp_path


def sign_in(client, username, password):
    """Through the admin's sign-in form, as a reviewer would (axes needs the request)."""
    response = client.post(
        "/admin/login/?next=/strategy/", {"username": username, "password": password}
    )
    return response.status_code == 302 and response["Location"] == "/strategy/"


def password_of(dev, username):
    return (dev / f"{username}-password.txt").read_text().strip()


def run():
    out = io.StringIO()
    call_command("create_demo_admin", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_refuses_to_run_on_a_production_setup(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=true"):
        call_command("create_demo_admin")
    assert not User.objects.filter(username="admin").exists()


def test_the_admin_and_three_staff_accounts_can_sign_in_with_the_printed_passwords(dev, client):
    output = run()
    for username in ("admin", "methodologist", "head-branch-5", "librarian-branch-5"):
        password = password_of(dev, username)
        assert f"password: {password}" in output
        assert sign_in(client, username, password), username
        client.logout()
    assert User.objects.get(username="admin").is_superuser


def test_the_staff_accounts_have_their_role_group_and_library(dev):
    run()
    branch_5 = Branch.objects.get(slug="branch-5")
    expected = {
        "methodologist": (StaffProfile.Role.METHODOLOGIST, METHODOLOGIST, None),
        "head-branch-5": (StaffProfile.Role.BRANCH_HEAD, BRANCH_HEAD, branch_5),
        "librarian-branch-5": (StaffProfile.Role.LIBRARIAN, LIBRARIAN, branch_5),
    }
    for username, (role, group, branch) in expected.items():
        user = User.objects.get(username=username)
        assert user.is_staff and not user.is_superuser
        assert (user.staff_profile.role, user.staff_profile.branch) == (role, branch)
        assert list(user.groups.values_list("name", flat=True)) == [group]


def test_a_second_run_keeps_the_passwords_and_creates_nothing_new(dev):
    first = run()
    users = User.objects.count()
    assert run() == first
    assert User.objects.count() == users
    assert StaffProfile.objects.filter(user__username="methodologist").count() == 1


def test_a_lost_password_file_gives_that_account_a_new_password(dev, client):
    run()
    old = password_of(dev, "methodologist")
    (dev / "methodologist-password.txt").unlink()
    run()
    new = password_of(dev, "methodologist")
    assert new != old
    assert not sign_in(client, "methodologist", old)
    assert sign_in(client, "methodologist", new)


def test_the_password_files_are_readable_by_their_owner_only(dev):
    run()
    assert (dev / "head-branch-5-password.txt").stat().st_mode & 0o077 == 0


def test_the_demo_methodologist_opens_the_plan_and_the_librarian_is_refused(dev, client):
    run()
    assert sign_in(client, "methodologist", password_of(dev, "methodologist"))
    assert client.get("/strategy/plans/2016-2021/").status_code == 200
    client.logout()
    assert sign_in(client, "librarian-branch-5", password_of(dev, "librarian-branch-5"))
    assert client.get("/strategy/plans/2016-2021/").status_code == 403


def test_the_branch_head_sees_only_their_library_in_the_report(dev, client):
    run()
    assert sign_in(client, "head-branch-5", password_of(dev, "head-branch-5"))
    response = client.get("/strategy/reports/", {"year": 2018})
    assert response.status_code == 200
    assert "Бібліотека-філія № 5" in response.content.decode()
    assert "Бібліотека-філія № 7" not in response.content.decode()


def test_dry_run_creates_nobody(dev):
    call_command("create_demo_admin", "--dry-run", stdout=io.StringIO())
    assert not User.objects.filter(username__in=["admin", "methodologist"]).exists()
    assert not list(dev.iterdir())


def test_a_password_file_from_another_database_is_replaced_by_one_that_works(dev, client):
    run()
    (dev / "head-branch-5-password.txt").write_text("from-another-database\n")
    output = run()
    password = password_of(dev, "head-branch-5")
    assert password != "from-another-database"
    assert f"password: {password}" in output
    assert sign_in(client, "head-branch-5", password)


def test_the_demo_reader_signs_in_with_the_printed_card_number_and_sees_their_record(dev, client):
    output = run()
    password = password_of(dev, "reader-branch-5")
    card = User.objects.get(username="reader-branch-5").reader_profile.card_number
    assert f"card: {card}" in output and f"password: {password}" in output

    response = client.post("/accounts/login/", {"login": card, "password": password})

    assert response.status_code == 302 and response["Location"] == "/me/"
    assert card in client.get("/me/").content.decode()
    assert not User.objects.get(username="reader-branch-5").is_staff
    assert run() == output  # a second run changes nothing
