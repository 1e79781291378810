"""The way to the circulation desk: in the admin's header and on its index, and in the public
site's navigation, for the staff who lend; never for readers."""

import pytest

pytestmark = pytest.mark.django_db

DESK_LINK = '<a href="/desk/" id="desk-link">Кафедра видачі</a>'


@pytest.mark.parametrize("who", ["librarian_a", "branch_head_a"])
def test_lending_staff_find_the_desk_in_the_admin_header_and_on_its_index(client, request, who):
    client.force_login(request.getfixturevalue(who))

    index = client.get("/admin/").content.decode()
    other_admin_page = client.get("/admin/circulation/loan/").content.decode()

    assert DESK_LINK in index and DESK_LINK in other_admin_page
    assert 'id="desk-module"' in index
    assert '<a href="/desk/">Видача, повернення й замовлення читачів' in index


def test_lending_staff_find_the_desk_in_the_sites_navigation(client, librarian_a):
    client.force_login(librarian_a)

    assert '<li><a href="/desk/">Кафедра видачі</a></li>' in client.get("/").content.decode()


def test_readers_see_no_desk_link(client, reader):
    client.force_login(reader)

    assert "/desk/" not in client.get("/").content.decode()
    assert "/desk/" not in client.get("/me/").content.decode()
