"""The main menu shows staff the way to their tools and nobody else."""

import pytest

pytestmark = pytest.mark.django_db


def menu_links(client):
    html = client.get("/").content.decode()
    menu = html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    return menu


def test_methodologist_sees_the_strategy_dashboard_and_the_workplace_in_the_menu(
    client, methodologist
):
    client.force_login(methodologist)

    menu = menu_links(client)

    assert 'href="/strategy/"' in menu
    assert 'href="/admin/"' in menu


def test_librarian_sees_the_workplace_but_not_the_strategy_dashboard(client, librarian_a):
    client.force_login(librarian_a)

    menu = menu_links(client)

    assert 'href="/admin/"' in menu
    assert "/strategy/" not in menu


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_readers_see_only_the_public_sections(client, request, who):
    if who == "reader":
        client.force_login(request.getfixturevalue("reader"))

    menu = menu_links(client)

    assert "/strategy/" not in menu
    assert "/admin/" not in menu
    assert 'href="/events/"' in menu
