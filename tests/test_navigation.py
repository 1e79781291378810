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


def test_menu_marks_the_section_on_its_sub_pages_and_the_page_itself(client):
    section = client.get("/events/clubs/").content.decode()
    own_page = client.get("/events/").content.decode()

    assert 'href="/events/" aria-current="true"' in section
    assert 'href="/events/" aria-current="page"' in own_page
    assert 'href="/branches/" aria-current' not in section


def test_language_switch_on_a_missing_page_leads_to_the_other_language(client):
    ukrainian = client.get("/nope/").content.decode()
    english = client.get("/en/nope/").content.decode()

    assert 'href="/en/nope/" lang="en"' in ukrainian
    assert 'href="/nope/" lang="uk"' in english


@pytest.mark.parametrize(
    "language, words", [("", "Простори й компʼютери"), ("/en", "Spaces and computers")]
)
def test_every_public_section_is_reachable_from_the_home_page_and_the_footer(
    client, language, words
):
    html = client.get(language + "/").content.decode()
    sections = html.split('id="sections-title"', 1)[1].split("</section>", 1)[0]
    footer = html.split("<footer", 1)[1]
    for path in ("/catalog/local-lore/", "/spaces/", "/ask/"):
        assert f'href="{language}{path}"' in sections, path
    for path in ("/spaces/", "/digital/", "/branches/paid-services/", "/ask/"):
        assert f'href="{language}{path}"' in footer, path
    assert words in sections and words in footer
