"""Library tourism, «Біля мене» and feedback after a consultation in a real browser: axe on
every page, wide and narrow, in both languages; a teacher requests a tour without JavaScript
and cancels it by the link; a reader presses «Біля мене» and the browser's location (given
only then) sorts the libraries; a citizen rates a consultation by the mailed link."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from branches.models import Branch, TourRequest
from egov.models import Booking, Slot
from reference.models import Feedback
from tests.branches.factories import TourRequestFactory
from tests.browser.test_accessibility import WIDTHS, describe

pytestmark = pytest.mark.browser

PAGES = {
    "history": "/branches/central/history/",
    "en-history": "/en/branches/central/history/",
    "history-no-text": "/branches/branch-11/history/",
    "tour": "/branches/tours/{tour}/",
    "en-tour": "/en/branches/tours/{tour}/",
    "tour-thanks": "/branches/tours/thanks/",
    "near-coordinates": "/branches/?lat=50.7400&lon=25.3250",
    "near-place": "/en/branches/?place=hnidava",
    "near-invalid": "/branches/?lat=пів&lon=25.3",
    "consultation-feedback": "/ask/feedback/consultation/{feedback}/",
    "en-consultation-feedback": "/en/ask/feedback/consultation/{feedback}/",
}


@pytest.fixture
def attended(site):
    """A Diia consultation at branch 5 an hour ago that the citizen came to."""
    start = timezone.now() - timedelta(hours=2)
    slot = Slot.objects.create(
        branch=Branch.objects.get(slug="branch-5"),
        kind=Slot.Kind.DIIA,
        starts_at=start,
        ends_at=start + timedelta(minutes=45),
    )
    return Booking.objects.create(
        slot=slot,
        name="Петро",
        email="petro@example.org",
        status=Booking.Status.ATTENDED,
        feedback_token="Fb" + "x" * 30,
    )


@pytest.mark.parametrize("name", PAGES)
def test_tourism_page_has_no_axe_violations(new_context, attended, artifacts, axe, name):
    tour = TourRequestFactory(branch=Branch.objects.get(slug="central"), agreed=True)
    path = PAGES[name].format(tour=tour.token, feedback=attended.feedback_token)
    page = new_context().new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
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
    assert not errors


def test_a_teacher_requests_a_tour_without_javascript_and_cancels_it(new_context, site, axe):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/branches/central/")
    page.get_by_role("link", name="Історія бібліотеки та екскурсії").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Історія бібліотеки та екскурсії")

    page.get_by_role("textbox", name=re.compile("^Група")).fill("7-Б клас ліцею № 5")
    page.get_by_label("Шкільний клас").check()
    page.get_by_label(re.compile("^Скільки осіб")).fill("26")
    day = timezone.localdate() + timedelta(days=20)
    page.get_by_label(re.compile("^Бажана дата")).fill(day.isoformat())
    page.get_by_label(re.compile("^Контактна особа")).fill("Оксана Петрівна")
    page.get_by_label(re.compile("^Е-пошта")).fill("oksana@example.org")
    page.get_by_role("button", name="Надіслати заявку").click()

    # Without consent: told why, nothing typed is lost.
    expect(page.get_by_role("alert").first).to_have_text(
        "Форму не надіслано: виправте, будь ласка, позначені поля."
    )
    expect(page.get_by_role("textbox", name=re.compile("^Група"))).to_have_value(
        "7-Б клас ліцею № 5"
    )
    results = axe.run(page)
    assert results.violations_count == 0, describe(results.response["violations"])

    page.get_by_label(re.compile(r"^Погоджуюся на обробку")).check()
    page.get_by_role("button", name="Надіслати заявку").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ваша заявка на екскурсію")
    expect(page.get_by_text("Стан заявки: Нова.")).to_be_visible()
    tour = TourRequest.objects.get(is_demo=False)
    assert tour.group_name == "7-Б клас ліцею № 5" and tour.branch.slug == "central"

    page.get_by_role("button", name="Скасувати заявку").click()
    expect(page.get_by_text("Стан заявки: Скасовано замовником.")).to_be_visible()
    tour.refresh_from_db()
    assert tour.status == TourRequest.Status.CANCELLED


def test_near_me_asks_the_browser_only_when_pressed_and_sorts_by_distance(new_context, site, axe):
    # A reader standing by branch 7's demo address.
    context = new_context(
        geolocation={"latitude": 50.7282, "longitude": 25.3020}, permissions=["geolocation"]
    )
    page = context.new_page()
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto("/branches/")
    assert not any("lat=" in url for url in asked), "the location is not sent before the press"

    page.get_by_role("button", name="Знайти бібліотеки біля мене").click()

    page.wait_for_url(re.compile(r"lat=50\.7282"))
    expect(page.get_by_text("Спершу найближчі до вказаного місця.")).to_be_visible()
    first = page.locator(".card-list .branch-card").first
    expect(first.get_by_role("link")).to_have_text("Бібліотека-філія № 7")
    expect(first.get_by_text(re.compile(r"^Відстань: 0,\d км$"))).to_be_visible()
    assert context.blocked_requests == []  # no third-party service was asked
    results = axe.run(page)
    assert results.violations_count == 0, describe(results.response["violations"])


def test_without_javascript_a_reader_chooses_a_part_of_the_city(new_context, site):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/branches/")
    expect(page.get_by_role("button", name="Знайти бібліотеки біля мене")).to_be_hidden()
    page.get_by_label("Я в районі").select_option(label="Старе місто, Луцький замок")
    page.get_by_role("button", name="Показати").click()
    expect(page.get_by_text("Спершу найближчі до вказаного місця.")).to_be_visible()
    expect(page.locator(".branch-card .distance").first).to_contain_text("км")


def test_a_citizen_rates_the_consultation_by_the_mailed_link(new_context, attended, axe):
    page = new_context().new_page()
    page.goto(f"/ask/feedback/consultation/{attended.feedback_token}/")
    expect(page.get_by_text(re.compile("Консультація з електронних послуг"))).to_be_visible()
    page.get_by_label("4").check()
    page.get_by_label(re.compile("^Що сподобалося")).fill("Допомогли увійти в Дію")
    page.get_by_role("button", name="Надіслати відгук").click()

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    feedback = Feedback.objects.get(kind=Feedback.Kind.CONSULTATION, is_demo=False)
    assert feedback.rating == 4 and feedback.branch.slug == "branch-5"
    page.goto(f"/ask/feedback/consultation/{attended.feedback_token}/")
    expect(page.get_by_text("Відгук про цю консультацію вже надіслано. Дякуємо!")).to_be_visible()
    results = axe.run(page)
    assert results.violations_count == 0, describe(results.response["violations"])
