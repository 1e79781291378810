"""What a reader does in a real browser: find a library, filter, switch language, use the
keyboard, a narrow phone screen, and a browser with JavaScript turned off."""

import re

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from branches.models import Branch

pytestmark = pytest.mark.browser

SERVICE = "egov-point"
BRANCH = "branch-5"
STATUS = re.compile(r"Відчинено|Зачинено|Перерва")


def names_with_service(slug):
    return list(Branch.objects.public().filter(services__slug=slug).values_list("name", flat=True))


def card_titles(page):
    return page.locator(".card-list .card-title").all_inner_texts()


def main_nav(page):
    return page.get_by_role("navigation", name="Розділи порталу")


def test_home_to_a_library_through_the_list_and_its_filter(page):
    page.goto("/")
    main_nav(page).get_by_role("link", name="Бібліотеки", exact=True).click()

    expect(page).to_have_url(re.compile(r"/branches/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Бібліотеки Луцька")
    all_names = list(Branch.objects.public().values_list("name", flat=True))
    assert len(all_names) == 8
    expect(page.locator(".card-list .card-title")).to_have_text(all_names)

    page.get_by_label("Послуга").select_option(SERVICE)
    page.get_by_role("button", name="Показати").click()

    expect(page).to_have_url(re.compile(rf"[?&]service={SERVICE}(&|$)"))
    expected = names_with_service(SERVICE)
    assert 0 < len(expected) < len(all_names)
    expect(page.locator(".card-list .card-title")).to_have_text(expected)
    expect(page.get_by_label("Послуга")).to_have_value(SERVICE)

    first = Branch.objects.get(name=expected[0])
    page.get_by_role("link", name=first.name, exact=True).first.click()

    expect(page).to_have_url(re.compile(rf"/branches/{first.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(first.name)
    expect(page.get_by_role("heading", name="Години роботи")).to_be_visible()
    expect(page.locator("main .status").first).to_have_text(STATUS)
    expect(page.get_by_role("table")).to_contain_text("Понеділок")


def test_switching_to_english_on_a_branch_page_keeps_the_page(page):
    branch = Branch.objects.get(slug=BRANCH)
    page.goto(f"/branches/{BRANCH}/")
    expect(page.locator("html")).to_have_attribute("lang", "uk")

    page.get_by_role("navigation", name="Мова сайту").get_by_role("link", name="English").click()

    expect(page).to_have_url(re.compile(rf"/en/branches/{BRANCH}/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # The library's own English name comes from the database, not from the .po files.
    expect(page.get_by_role("heading", level=1)).to_have_text(branch.name_en)
    expect(page.get_by_role("link", name="Українська")).to_have_attribute("hreflang", "uk")
    central = Branch.objects.get(kind=Branch.Kind.CENTRAL)
    expect(page.locator("footer address")).to_contain_text(central.name_en)

    # The English interface strings are written in locale/en by another part of the work;
    # until they are compiled, gettext returns the Ukrainian text and only the URL, the lang
    # attribute and the English data above are checked. Once they exist, the page must use them.
    with translation.override("en"):
        hours, nav = gettext("Години роботи"), gettext("Розділи порталу")
    if hours != "Години роботи":
        expect(page.get_by_role("heading", name=hours, exact=True)).to_be_visible()
    if nav != "Розділи порталу":
        expect(page.get_by_role("navigation", name=nav)).to_be_visible()


def test_first_tab_reaches_the_skip_link_and_enter_moves_to_main(page):
    page.goto("/branches/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("Перейти до основного змісту")
    expect(skip).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab continues from main, not from the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_narrow_screen_has_no_horizontal_scroll(new_context):
    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    paths = ["/", "/branches/", f"/branches/{BRANCH}/", "/en/", "/en/branches/"]
    # Every library page: their hours tables and service lists differ.
    paths += [f"/branches/{slug}/" for slug in Branch.objects.values_list("slug", flat=True)]
    too_wide = {}
    for path in dict.fromkeys(paths):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide[path] = (width, widest_elements(page))
    assert not too_wide, f"wider than 360px: {too_wide}"


def widest_elements(page):
    """The elements sticking out past the viewport, to say what to fix."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
            .slice(0, 5)
            .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
                       + ' right=' + Math.round(el.getBoundingClientRect().right))"""
    )


def test_without_javascript_the_list_addresses_and_filters_work(new_context):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto("/branches/")

    branches = list(Branch.objects.public())
    expect(page.locator(".card-list .card-title")).to_have_text([b.name for b in branches])
    expect(page.locator(".card-list .address")).to_have_text([b.address for b in branches])
    # The map needs JavaScript; its empty box stays hidden instead of leaving a gap.
    expect(page.locator("#branch-map")).to_be_hidden()

    page.get_by_label("Послуга").select_option(SERVICE)
    page.get_by_role("button", name="Показати").click()
    expect(page).to_have_url(re.compile(rf"[?&]service={SERVICE}(&|$)"))
    expect(page.locator(".card-list .card-title")).to_have_text(names_with_service(SERVICE))

    # Add «open now»: the page lists exactly the libraries with the service open at this moment.
    before = open_names_with_service(SERVICE)
    page.get_by_label("Лише ті, що відчинені зараз").check()
    page.get_by_role("button", name="Показати").click()
    after = open_names_with_service(SERVICE)
    expect(page).to_have_url(re.compile(r"[?&]open_now=true(&|$)"))
    expect(page.get_by_label("Лише ті, що відчинені зараз")).to_be_checked()
    if before == after:  # not at an opening or closing minute
        expect(page.locator(".card-list .card-title")).to_have_text(after)
        if not after:
            # Nothing open: the page says which of them opens first, and offers the full list.
            expect(
                page.get_by_text("Серед вибраних бібліотек зараз жодна не відчинена.")
            ).to_be_visible()
            expect(page.get_by_text(re.compile("Найближче відчиниться"))).to_be_visible()
            expect(page.get_by_role("link", name="Показати всі бібліотеки")).to_be_visible()

    # A library's page without JavaScript: address, hours and status are all there.
    page.goto(f"/branches/{BRANCH}/")
    branch = Branch.objects.get(slug=BRANCH)
    expect(page.locator("main address")).to_contain_text(branch.address)
    expect(page.get_by_role("heading", name="Години роботи")).to_be_visible()
    expect(page.locator("main .status").first).to_have_text(STATUS)


def open_names_with_service(slug):
    now = timezone.now()
    return list(
        Branch.objects.public()
        .open_at(now)
        .filter(services__slug=slug)
        .values_list("name", flat=True)
    )


def test_the_map_is_named_and_usable_from_the_keyboard(page):
    page.goto("/branches/")
    branches = list(Branch.objects.public())
    region = page.get_by_role("region", name="Карта бібліотек")
    expect(region).to_be_visible()
    expect(region.get_by_role("button", name="Збільшити")).to_be_visible()
    expect(region.get_by_role("button", name="Зменшити")).to_be_visible()
    markers = region.locator(".leaflet-marker-icon")
    expect(markers).to_have_count(len(branches))
    for branch in branches:
        expect(region.get_by_role("button", name=branch.name, exact=True)).to_have_attribute(
            "alt", branch.name
        )

    marker = region.get_by_role("button", name=branches[0].name, exact=True)
    marker.focus()
    page.keyboard.press("Enter")
    popup_link = region.locator(".leaflet-popup").get_by_role("link", name=branches[0].name)
    expect(popup_link).to_have_attribute("href", branches[0].get_absolute_url())
    region.locator(".leaflet-popup").get_by_role("button", name="Закрити").click()
    expect(region.locator(".leaflet-popup")).to_have_count(0)
