"""Library tourism, «Біля мене» and feedback after a consultation in a real browser: axe on
every page, wide and narrow, in both languages; a teacher asks for a tour without JavaScript
after fixing the form, the library agrees a date in the admin and the teacher is told;
«Біля мене» with the browser's location, and the place picker without JavaScript."""

import math
import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import StaffProfile
from branches.models import Branch, TourRequest
from branches.places import PLACES
from branches.services import MAIL as TOUR_MAIL
from core.models import OutgoingMail
from core.tz import KYIV
from egov.models import Booking, Slot
from tests.branches.factories import TourRequestFactory
from tests.browser.test_accessibility import WIDTHS, describe, wait_for_map
from tests.browser.test_egov import PASSWORD as STAFF_PASSWORD
from tests.factories import make_staff

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


def test_a_teacher_asks_for_a_tour_without_javascript_and_the_library_agrees_a_date(
    new_context, site
):
    today = timezone.localdate()
    wanted = today + timedelta(days=14)
    teacher = new_context(java_script_enabled=False).new_page()
    teacher.goto("/branches/central/history/")
    form = teacher.locator("main form[method=post]")
    form.get_by_label(re.compile("^Група ")).fill("3-Б клас гімназії № 4")
    form.get_by_label("Шкільний клас").check()
    # Two slips: the whole parallel (over the limit) and yesterday's date.
    form.get_by_label("Скільки осіб").fill("250")
    form.get_by_label("Бажана дата").fill((today - timedelta(days=1)).isoformat())
    form.get_by_label("Контактна особа").fill("Наталія Гончарук")
    form.get_by_label("Е-пошта").fill("honcharuk@example.org")
    form.get_by_label(re.compile("^Погоджуюся на обробку")).check()
    form.get_by_role("button", name="Надіслати заявку").click()

    expect(teacher.get_by_role("alert").first).to_have_text(
        "Форму не надіслано: виправте, будь ласка, позначені поля."
    )
    expect(
        teacher.get_by_text("Бібліотека приймає до 200 осіб за раз; велику групу поділіть.")
    ).to_be_visible()
    expect(
        teacher.get_by_text("Оберіть дату, не раніше ніж завтра: бібліотеці треба підготуватися.")
    ).to_be_visible()
    form = teacher.locator("main form[method=post]")
    expect(form.get_by_label(re.compile("^Група "))).to_have_value("3-Б клас гімназії № 4")
    expect(form.get_by_label("Шкільний клас")).to_be_checked()
    expect(form.get_by_label("Скільки осіб")).to_have_value("250")
    expect(form.get_by_label("Контактна особа")).to_have_value("Наталія Гончарук")
    expect(form.get_by_label("Е-пошта")).to_have_value("honcharuk@example.org")
    assert not TourRequest.objects.filter(email="honcharuk@example.org").exists()

    form.get_by_label("Скільки осіб").fill("28")
    form.get_by_label("Бажана дата").fill(wanted.isoformat())
    if not form.get_by_label(re.compile("^Погоджуюся на обробку")).is_checked():
        form.get_by_label(re.compile("^Погоджуюся на обробку")).check()
    form.get_by_role("button", name="Надіслати заявку").click()

    # The answer is the request's own page (its secret link also comes by mail).
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Ваша заявка на екскурсію")
    expect(teacher.get_by_text("Стан заявки: Нова.")).to_be_visible()
    expect(teacher.get_by_text("3-Б клас гімназії № 4 · Шкільний клас · 28 осіб")).to_be_visible()
    tour = TourRequest.objects.get(email="honcharuk@example.org")
    assert (tour.branch.slug, tour.people, tour.preferred_date, tour.status) == (
        "central",
        28,
        wanted,
        TourRequest.Status.NEW,
    )
    assert teacher.url.endswith(tour.get_absolute_url())
    received = OutgoingMail.objects.get(to="honcharuk@example.org", template=TOUR_MAIL)
    assert received.context["kind"] == "received"

    # A librarian of the central library agrees the teacher's date at 11:00.
    make_staff(
        username="ekskursii",
        role=StaffProfile.Role.LIBRARIAN,
        branch=tour.branch,
        group_name="Бібліотекар",
    )
    staff = new_context().new_page()
    staff.goto(f"/admin/login/?next=/admin/branches/tourrequest/{tour.pk}/change/")
    staff.locator("#id_username").fill("ekskursii")
    staff.locator("#id_password").fill(STAFF_PASSWORD)
    staff.locator("#id_password").press("Enter")
    staff.wait_for_url(f"**/admin/branches/tourrequest/{tour.pk}/change/")
    staff.get_by_label("Змінити стан на").select_option(label="Дату погоджено")
    staff.locator("#id_new_agreed_at_0").fill(wanted.isoformat())
    staff.locator("#id_new_agreed_at_1").fill("11:00")
    staff.get_by_role("button", name="Зберегти", exact=True).click()
    expect(staff.locator(".messagelist")).to_be_visible()

    tour.refresh_from_db()
    assert tour.status == TourRequest.Status.AGREED
    assert tour.agreed_at == datetime.combine(wanted, time(11), tzinfo=KYIV)
    assert tour.handled_by.username == "ekskursii"
    letters = OutgoingMail.objects.filter(to="honcharuk@example.org", template=TOUR_MAIL)
    assert [letter.context["kind"] for letter in letters.order_by("pk")] == [
        "received",
        "agreed",
    ]

    # The teacher's link now shows the agreed time.
    teacher.reload()
    expect(teacher.get_by_text("Стан заявки: Дату погоджено.")).to_be_visible()
    expect(teacher.locator("dl.facts")).to_contain_text("11:00")


def card_titles(page):
    return page.locator(".card-list .branch-card .card-title a").all_inner_texts()


def test_near_me_with_the_browsers_location_lists_the_nearest_library_first(new_context, axe):
    branch = Branch.objects.get(slug="branch-11")
    near = {"latitude": float(branch.latitude) + 0.0004, "longitude": float(branch.longitude)}
    page = new_context(geolocation=near, permissions=["geolocation"]).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/branches/")
    page.get_by_role("button", name="Знайти бібліотеки біля мене").click()

    page.wait_for_url(re.compile(r"[?&]lat=50\.74"))
    expect(page.get_by_text("Спершу найближчі до вказаного місця.")).to_be_visible()
    assert card_titles(page)[0] == branch.name
    first = page.locator(".card-list .branch-card").first
    expect(first.locator(".distance")).to_have_text("Відстань: 0,0 км")
    # The coordinates are in the page's address and its fields, nowhere else.
    expect(page.get_by_label("Широта")).to_have_value(f"{near['latitude']:.4f}")
    wait_for_map(page)
    results = axe.run(page)
    assert not results.violations_count, describe(results.response["violations"])
    assert not errors


def _km(lat1, lon1, lat2, lon2):
    lat1, lon1, lat2, lon2 = map(math.radians, (lat1, lon1, lat2, lon2))
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 12742 * math.asin(math.sqrt(a))


def test_the_place_picker_sorts_libraries_by_distance_without_javascript(new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/branches/")
    # Without JavaScript there is no location button, only the list of places.
    expect(page.get_by_role("button", name="Знайти бібліотеки біля мене")).to_be_hidden()
    page.get_by_label("Я в районі").select_option(label="Старе місто, Луцький замок")
    page.get_by_role("button", name="Показати", exact=True).click()

    expect(page.get_by_text("Спершу найближчі до вказаного місця.")).to_be_visible()
    assert "place=old-town" in page.url
    castle = PLACES["old-town"]
    located = Branch.objects.public().filter(latitude__isnull=False, longitude__isnull=False)
    nearest = sorted(
        located,
        key=lambda b: _km(castle.lat, castle.lon, float(b.latitude), float(b.longitude)),
    )
    assert nearest[0].slug == "central-children"
    assert card_titles(page)[:3] == [b.name for b in nearest[:3]]
    expect(page.get_by_label("Я в районі")).to_have_value("old-town")
