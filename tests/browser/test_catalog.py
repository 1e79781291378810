"""The electronic catalogue in a real browser: axe on its pages, wide and narrow; a search
narrowed by a facet down to a record and its copies; the same without JavaScript; the
autocomplete; «Запропонувати придбати» after a search that found nothing; phone widths.

The live server's database is flushed after every test, so each test gets the small
catalogue below afresh (a few records cost far less than the demo catalogue would).
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from branches.models import Branch
from catalog.indexing import records_reindex
from catalog.models import Item, OnlineResource, PurchaseSuggestion, Record
from tests.browser.test_accessibility import WIDTHS, describe
from tests.browser.test_flows import widest_elements
from tests.catalog.factories import ItemFactory, RecordFactory, SubjectFactory

pytestmark = pytest.mark.browser

SHEVCHENKO = "Шевченко, Тарас Григорович"
HRUSHEVSKY = "Грушевський, Михайло Сергійович"
NONSENSE = "qqqzzzxxx"
TITLE_REQUIRED = "Напишіть назву: без неї ми не знатимемо, що шукати."

# {kobzar} is the record's id, filled in by the test.
PAGES = {
    "catalog-landing": "/catalog/",
    "catalog-results": "/catalog/?q=шевченка",
    "catalog-did-you-mean": "/catalog/?q=Шевчнко",
    "catalog-zero-hits": f"/catalog/?q={NONSENSE}",
    "catalog-record": "/catalog/records/{kobzar}/",
    "catalog-new": "/catalog/new/",
    "catalog-local-lore": "/catalog/local-lore/",
    "catalog-local-lore-search": "/catalog/local-lore/search/?q=Луцьк",
    "catalog-resources": "/catalog/resources/",
    "en-catalog-results": "/en/catalog/?q=shevchenko",
    "en-catalog-record": "/en/catalog/records/{kobzar}/",
}


@pytest.fixture
def catalogue(site):
    """«Кобзар» on the shelf in the central library and branch 5 (and on loan in branch 7),
    «Гайдамаки» on the shelf in branch 7 only, Hrushevsky in the central library, a book about
    Lutsk, an English «Hamlet», a record with no copies; two online resources."""
    central, branch_5, branch_7 = (
        Branch.objects.get(slug=slug) for slug in ("central", "branch-5", "branch-7")
    )
    poetry = SubjectFactory(name="Українська поезія")
    kobzar = RecordFactory(
        title="Кобзар",
        authors=[SHEVCHENKO],
        subjects=[poetry],
        publisher="Знання",
        place="Київ",
        year=2019,
        isbn="9789660345812",
        annotation="Найповніше видання поезій Тараса Шевченка.",
    )
    haidamaky = RecordFactory(title="Гайдамаки", authors=[SHEVCHENKO], subjects=[poetry], year=2015)
    history = RecordFactory(
        title="Історія України-Руси",
        subtitle="том 1",
        authors=[HRUSHEVSKY],
        subjects=["Історія України"],
        publisher="Наукова думка",
        place="Київ",
        year=1991,
    )
    lutsk = RecordFactory(
        title="Луцьк: історія міста",
        authors=["Пиріг, Олена"],
        subjects=["Луцьк — історія"],
        year=2010,
        is_local_lore=True,
        material_type=Record.MaterialType.LOCAL_LORE,
    )
    hamlet = RecordFactory(
        title="Hamlet", authors=["Shakespeare, William"], language="eng", year=2001
    )
    RecordFactory(title="Енеїда", authors=["Котляревський, Іван Петрович"], year=1990)
    ItemFactory(record=kobzar, branch=central, shelf_mark="84(4УКР)1-5")
    ItemFactory(record=kobzar, branch=central, shelf_mark="84(4УКР)1-5")
    ItemFactory(record=kobzar, branch=branch_5, shelf_mark="84(4УКР)1-5")
    ItemFactory(record=kobzar, branch=branch_7, status=Item.Status.ON_LOAN)
    ItemFactory(record=haidamaky, branch=branch_7)
    ItemFactory(record=history, branch=central, status=Item.Status.REFERENCE)
    ItemFactory(record=lutsk, branch=branch_5)
    ItemFactory(record=hamlet, branch=central)
    records_reindex(Record.objects.values_list("pk", flat=True))
    for url, title, topic in [
        ("https://elib.nlu.org.ua/", "Електронна бібліотека «Україніка»", "libraries"),
        ("https://usr.minjust.gov.ua/", "Єдиний державний реєстр юросіб", "registers"),
    ]:
        OnlineResource.objects.update_or_create(
            url=url, defaults={"title": title, "topic": topic, "language": "ukr"}
        )
    return {"kobzar": kobzar, "haidamaky": haidamaky, "poetry": poetry}


def watch_errors(page):
    """JavaScript errors and console errors of `page`, as they happen."""
    errors = []
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    page.on(
        "console",
        lambda message: (
            errors.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    return errors


def search_box(page):
    """The query box: a searchbox, or a combobox once autocomplete.js gives it suggestions."""
    label = "Пошук у каталозі всіх бібліотек"
    return page.get_by_label(label, exact=True).and_(page.locator("input"))


def result_titles(page):
    return page.locator(".record-list .card-title a")


def query_of(url):
    return parse_qs(urlsplit(url).query)


def wait_for_query(page, **expected):
    """Wait until the page's URL carries these query values (None: not there at all)."""
    page.wait_for_url(
        lambda url: all(
            query_of(url).get(key) == (None if value is None else [value])
            for key, value in expected.items()
        )
    )


# --- axe -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_catalogue_page_has_no_axe_violations(new_context, catalogue, artifacts, axe, name):
    path = PAGES[name].format(kobzar=catalogue["kobzar"].pk)
    context = new_context()
    page = context.new_page()
    errors = watch_errors(page)
    problems = []
    for width_name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        page.screenshot(path=artifacts / f"{name}-{width}.png", full_page=True)
        results = axe.run(page)
        if results.violations_count:
            problems.append(
                f"{path} at {width}px ({width_name}): {results.violations_count} "
                f"violation(s)\n{describe(results.response['violations'])}"
            )
    assert not problems, "\n\n".join(problems)
    assert not errors, f"JavaScript errors on {path}: {errors}"
    assert not context.blocked_requests, (
        f"{path} tried to reach other machines: {context.blocked_requests}"
    )


def test_pages_state_what_axe_checked(page, catalogue):
    """The pages axe passed are the ones meant: results with facets, a suggestion, the
    purchase form, English results."""
    page.goto(PAGES["catalog-results"])
    expect(page.get_by_role("form", name="Уточнити пошук")).to_be_visible()
    expect(result_titles(page)).to_have_text(["Кобзар", "Гайдамаки"])

    page.goto(PAGES["catalog-did-you-mean"])
    expect(page.locator(".did-you-mean")).to_contain_text("Можливо, ви мали на увазі")
    expect(page.locator(".did-you-mean a")).to_have_text(re.compile("шевченко", re.I))

    page.goto(PAGES["catalog-zero-hits"])
    expect(page.get_by_role("heading", name="Запропонувати придбати")).to_be_visible()

    page.goto(PAGES["en-catalog-results"])
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(result_titles(page)).to_have_text(["Кобзар", "Гайдамаки"])


# --- searching -------------------------------------------------------------------------------


def test_search_narrow_by_library_open_the_record_and_find_similar(page, catalogue):
    errors = watch_errors(page)
    page.goto("/catalog/")
    search_box(page).fill("Шевченка")
    page.get_by_role("search", name="Пошук у каталозі всіх бібліотек").get_by_role(
        "button", name="Знайти"
    ).click()

    wait_for_query(page, q="Шевченка")
    expect(page.get_by_role("heading", level=2, name="Знайдено 2 записи")).to_be_visible()
    expect(result_titles(page)).to_have_text(["Кобзар", "Гайдамаки"])
    kobzar_card = page.locator(".record-card").filter(has_text="Кобзар")
    expect(kobzar_card.locator(".availability")).to_have_text("є на полиці в 2 бібліотеках")
    expect(kobzar_card.locator(".record-authors")).to_have_text(SHEVCHENKO)
    # The box keeps what was asked.
    expect(search_box(page)).to_have_value("Шевченка")

    # Branch 5 has «Кобзар» only.
    facets = page.get_by_role("form", name="Уточнити пошук")
    libraries = facets.get_by_role("group", name="Бібліотека")
    libraries.get_by_label(re.compile(r"^Бібліотека-філія № 5 \(1\)$")).check()
    facets.get_by_role("button", name="Застосувати").click()

    wait_for_query(page, q="Шевченка", branch="branch-5")
    expect(result_titles(page)).to_have_text(["Кобзар"])
    expect(libraries.get_by_label(re.compile(r"^Бібліотека-філія № 5"))).to_be_checked()
    chip = page.locator(".selected-filters").get_by_role("link")
    expect(chip).to_have_text(re.compile(r"Бібліотека-філія № 5"))

    result_titles(page).first.click()
    record = catalogue["kobzar"]
    expect(page).to_have_url(re.compile(rf"/catalog/records/{record.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Кобзар")
    expect(page.locator("main .availability")).to_have_text("є на полиці в 2 бібліотеках")
    copies = page.get_by_role("table", name="Примірники в бібліотеках")
    expect(copies.locator("tbody th")).to_contain_text(
        ["Центральна бібліотека", "Бібліотека-філія № 5", "Бібліотека-філія № 7"]
    )
    expect(copies.locator("tbody tr").filter(has_text="Центральна бібліотека")).to_contain_text(
        "На полиці — 2"
    )
    expect(copies.locator("tbody tr").filter(has_text="Бібліотека-філія № 7")).to_contain_text(
        "Видано"
    )

    similar = page.get_by_role("region", name="Знайти схожі")
    expect(similar.locator(".card-title")).to_contain_text(["Гайдамаки"])
    similar.get_by_role("link", name=f"Усі книги автора: {SHEVCHENKO}").click()
    wait_for_query(page, q=SHEVCHENKO)
    expect(result_titles(page)).to_have_text(["Кобзар", "Гайдамаки"])

    page.go_back()
    similar.get_by_role("link", name="Усе на тему: Українська поезія").click()
    wait_for_query(page, subject=str(catalogue["poetry"].pk))
    expect(result_titles(page)).to_have_count(2)
    assert sorted(result_titles(page).all_inner_texts()) == ["Гайдамаки", "Кобзар"]
    assert not errors, errors


def test_without_javascript_the_search_and_its_facets_work(new_context, catalogue):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/catalog/")
    search_box(page).fill("Шевченка")
    search_box(page).press("Enter")

    expect(result_titles(page)).to_have_text(["Кобзар", "Гайдамаки"])
    facets = page.get_by_role("form", name="Уточнити пошук")
    facets.get_by_role("group", name="Бібліотека").get_by_label(
        re.compile(r"^Бібліотека-філія № 7")
    ).check()
    facets.get_by_role("button", name="Застосувати").click()
    # In branch 7 «Кобзар» is on loan, «Гайдамаки» on the shelf: both are held there.
    wait_for_query(page, q="Шевченка", branch="branch-7")
    expect(result_titles(page)).to_have_text(["Кобзар", "Гайдамаки"])

    facets.get_by_label(re.compile(r"^Лише те, що є на полиці зараз")).check()
    facets.get_by_role("button", name="Застосувати").click()
    wait_for_query(page, branch="branch-7", available="on")
    expect(result_titles(page)).to_have_text(["Гайдамаки"])

    # Removing the library through its chip keeps the other filter and the query.
    chips = page.locator(".selected-filters")
    chips.get_by_role("link", name=re.compile("Бібліотека-філія № 7")).click()
    wait_for_query(page, q="Шевченка", branch=None, available="on")
    expect(result_titles(page)).to_have_text(["Кобзар", "Гайдамаки"])

    result_titles(page).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Кобзар")
    expect(page.get_by_role("table", name="Примірники в бібліотеках")).to_contain_text(
        "Центральна бібліотека"
    )


def test_autocomplete_offers_a_title_that_the_keyboard_can_pick(page, catalogue, axe, artifacts):
    errors = watch_errors(page)
    page.goto("/catalog/")
    box = search_box(page)
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "false")
    with page.expect_response(re.compile(r"/catalog/autocomplete/\?q=")) as answer:
        box.press_sequentially("кобз", delay=30)
    assert answer.value.json() == ["Кобзар"]

    suggestions = page.get_by_role("listbox", name="Пошук у каталозі всіх бібліотек")
    expect(suggestions).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(suggestions.get_by_role("option")).to_have_text(["Кобзар"])
    page.screenshot(path=artifacts / "catalog-autocomplete-1280.png")
    results = axe.run(page)
    assert not results.violations_count, describe(results.response["violations"])

    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    box.press("ArrowDown")
    option = suggestions.get_by_role("option", name="Кобзар")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    expect(box).to_be_focused()
    box.press("Enter")
    expect(box).to_have_value("Кобзар")
    expect(suggestions).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")

    # Taking a suggestion does not search yet; the next Enter does.
    box.press("Enter")
    wait_for_query(page, q="Кобзар")
    expect(page.get_by_role("heading", level=2, name="Знайдено 1 запис")).to_be_visible()
    expect(result_titles(page)).to_have_text(["Кобзар"])
    assert len(navigations) == 1, navigations

    # Escape closes the list and leaves what was typed; a click takes a suggestion too.
    box = search_box(page)
    box.fill("")
    box.press_sequentially("шевч", delay=30)
    suggestions = page.get_by_role("listbox", name="Пошук у каталозі всіх бібліотек")
    expect(suggestions.get_by_role("option")).to_have_text([SHEVCHENKO])
    page.set_viewport_size({"width": 360, "height": 740})
    box.press("ArrowDown")
    page.screenshot(path=artifacts / "catalog-autocomplete-360.png")
    box.press("Escape")
    expect(suggestions).to_be_hidden()
    expect(box).to_have_value("шевч")
    box.press("ArrowDown")
    suggestions.get_by_role("option", name=SHEVCHENKO).click()
    expect(box).to_have_value(SHEVCHENKO)
    expect(box).to_be_focused()
    assert not errors, errors


# --- nothing found: «Запропонувати придбати» --------------------------------------------------


def suggestion_form(page):
    return page.locator("form.suggestion-form")


def test_nothing_found_offers_a_purchase_suggestion(page, catalogue, axe):
    errors = watch_errors(page)
    page.goto("/catalog/")
    search_box(page).fill(NONSENSE)
    search_box(page).press("Enter")

    expect(page.get_by_role("heading", level=2, name="Знайдено 0 записів")).to_be_visible()
    expect(page.get_by_role("heading", name="Нічого не знайшли?")).to_be_visible()
    expect(page.get_by_role("heading", name="Запропонувати придбати")).to_be_visible()
    form = suggestion_form(page)
    title = form.get_by_label(re.compile(r"^Назва книги чи іншого документа"))
    # What the reader searched for is already there.
    expect(title).to_have_value(NONSENSE)
    title.fill("Волинь у давнину")
    form.get_by_label("Автор", exact=True).fill("Кучинко, Михайло")
    form.get_by_label("У якій бібліотеці хотіли б її взяти").select_option(
        label="Бібліотека-філія № 5"
    )
    form.get_by_label("Коментар").fill("Для краєзнавчого гуртка")
    form.get_by_label(re.compile(r"^Е-пошта")).fill("reader@example.org")
    form.get_by_role("button", name="Надіслати пропозицію").click()

    expect(page).to_have_url(re.compile(r"/catalog/suggest/thanks/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Дякуємо за пропозицію")
    suggestion = PurchaseSuggestion.objects.get()
    assert (suggestion.title, suggestion.author, suggestion.branch.slug) == (
        "Волинь у давнину",
        "Кучинко, Михайло",
        "branch-5",
    )
    assert (suggestion.note, suggestion.email, suggestion.search_query) == (
        "Для краєзнавчого гуртка",
        "reader@example.org",
        NONSENSE,
    )
    assert not errors, errors


def test_a_suggestion_without_a_title_is_refused_in_ukrainian_keeping_the_rest(
    page, catalogue, axe
):
    page.goto(f"/catalog/?q={NONSENSE}")
    form = suggestion_form(page)
    form.get_by_label(re.compile(r"^Назва книги чи іншого документа")).fill("")
    form.get_by_label("Автор", exact=True).fill("Кучинко, Михайло")
    form.get_by_label("У якій бібліотеці хотіли б її взяти").select_option(
        label="Центральна бібліотека"
    )
    form.get_by_label("Коментар").fill("Для краєзнавчого гуртка")
    form.get_by_label(re.compile(r"^Е-пошта")).fill("reader@example.org")
    form.get_by_role("button", name="Надіслати пропозицію").click()

    expect(page).to_have_url(re.compile(r"/catalog/suggest/$"))
    expect(page.get_by_role("alert")).to_have_text(
        "Пропозицію не надіслано: виправте, будь ласка, позначені поля."
    )
    form = suggestion_form(page)
    title = form.get_by_label(re.compile(r"^Назва книги чи іншого документа"))
    expect(title).to_have_value("")
    expect(title).to_have_attribute("aria-invalid", "true")
    # The error is next to the box and is read out with it.
    expect(title).to_have_accessible_description(TITLE_REQUIRED)
    expect(form.get_by_text(TITLE_REQUIRED)).to_be_visible()
    expect(form.get_by_label("Автор", exact=True)).to_have_value("Кучинко, Михайло")
    expect(form.get_by_label("У якій бібліотеці хотіли б її взяти")).to_have_value(
        str(Branch.objects.get(slug="central").pk)
    )
    expect(form.get_by_label("Коментар")).to_have_value("Для краєзнавчого гуртка")
    expect(form.get_by_label(re.compile(r"^Е-пошта"))).to_have_value("reader@example.org")
    assert not PurchaseSuggestion.objects.exists()
    results = axe.run(page)
    assert not results.violations_count, describe(results.response["violations"])

    # With the title filled in, it goes through.
    title.fill("Волинь у давнину")
    form.get_by_role("button", name="Надіслати пропозицію").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Дякуємо за пропозицію")
    assert PurchaseSuggestion.objects.get().search_query == NONSENSE


# --- phones ----------------------------------------------------------------------------------


def test_narrow_screen_has_no_horizontal_scroll_in_the_catalogue(new_context, catalogue):
    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    too_wide = {}
    for path in dict.fromkeys(PAGES.values()):
        path = path.format(kobzar=catalogue["kobzar"].pk)
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide[path] = (width, widest_elements(page))
    assert not too_wide, f"wider than 360px: {too_wide}"

    # The copies table scrolls sideways if it must, but ours fits: «На полиці» stays in sight.
    page.goto(PAGES["catalog-record"].format(kobzar=catalogue["kobzar"].pk))
    scroll = page.locator(".table-scroll")
    sizes = scroll.evaluate("element => [element.scrollWidth, element.clientWidth]")
    assert sizes[0] <= sizes[1], f"the copies table is {sizes[0]}px in {sizes[1]}px"
    box = page.get_by_role("columnheader", name="На полиці").bounding_box()
    assert box["x"] + box["width"] <= 360, box


def test_on_a_phone_the_results_come_first_and_the_filters_follow(new_context, catalogue):
    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    page.goto("/catalog/?q=Шевченка")

    results = page.get_by_role("heading", name=re.compile("^Знайдено")).bounding_box()
    filters = page.get_by_role("heading", name="Уточнити пошук").bounding_box()
    assert results["y"] < 740 < filters["y"], (results, filters)
    # A link takes a phone reader to the filters without scrolling past every result.
    page.get_by_role("link", name="До фільтрів").click()
    expect(page).to_have_url(re.compile("#facets-title$"))


def test_on_a_wide_screen_the_filters_sit_beside_the_results(new_context, catalogue):
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto("/catalog/?q=Шевченка")

    results = page.get_by_role("heading", name=re.compile("^Знайдено")).bounding_box()
    filters = page.get_by_role("heading", name="Уточнити пошук").bounding_box()
    assert filters["x"] > results["x"] + results["width"]
    assert abs(filters["y"] - results["y"]) < 120
    expect(page.get_by_role("link", name="До фільтрів")).to_be_hidden()
