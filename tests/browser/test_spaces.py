"""Booking a space in a real browser, without JavaScript: from the library page to the day's
free times, the form, the booking's page and its cancel link; axe on every page, wide and
narrow, in Ukrainian and English."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from branches.models import Branch
from core.tz import KYIV
from spaces.models import Booking, Resource
from tests.browser.test_accessibility import WIDTHS, describe

pytestmark = pytest.mark.browser

PAGES = {
    "spaces": "/spaces/",
    "spaces-day": "/spaces/central/?date={day}",
    "spaces-book": "/spaces/central/{room}/book/?date={day}&time=11:00",
    "spaces-booking": "/spaces/bookings/{token}/",
    "spaces-cancel": "/spaces/bookings/{token}/cancel/",
    "spaces-past-date": "/spaces/central/?date=2020-01-01",
    "en-spaces": "/en/spaces/",
    "en-spaces-day": "/en/spaces/central/?date={day}",
    "en-spaces-book": "/en/spaces/central/{room}/book/?date={day}&time=11:00",
}


@pytest.fixture
def room(site):
    """A study room of the central library (Mon–Fri 9–19 in the demo), and the first weekday
    from the day after tomorrow that the demo's closures leave open."""
    branch = Branch.objects.get(slug="central")
    day = timezone.localdate() + timedelta(days=2)
    while branch.closure_on(day) or day.weekday() > 4:
        day += timedelta(days=1)
    resource = Resource.objects.create(
        branch=branch,
        kind=Resource.Kind.ZONE,
        name="Кімната для занять",
        name_en="Study room",
        capacity=12,
    )
    return resource, day


def test_a_group_books_a_room_and_cancels_it_without_javascript(new_context, room, axe):
    resource, day = room
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/branches/central/")
    page.get_by_role("link", name="Забронювати простір / компʼютер").click()
    page.get_by_label("Дата").fill(day.isoformat())
    page.get_by_role("button", name="Показати вільний час").click()

    times = page.get_by_role("list", name="Кімната для занять")
    times.get_by_role("link", name=re.compile("^10:00–11:00")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Забронювати: Кімната для занять")
    page.get_by_label("Організація або група").fill("Розмовний клуб англійської")
    page.get_by_label("Контактна особа").fill("Андрій Ткачук")
    page.get_by_label("Е-пошта").fill("tkachuk@example.org")
    page.get_by_label("Скільки буде людей").fill("8")
    page.get_by_label(re.compile("^Погоджуюся на обробку")).check()
    page.get_by_role("button", name="Забронювати").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Бронювання підтверджено")
    results = axe.run(page)
    assert results.violations_count == 0, describe(results.response["violations"])
    booking = Booking.objects.get(resource=resource)
    assert (booking.organisation, booking.people) == ("Розмовний клуб англійської", 8)

    # The hour is now taken for everyone else.
    page.goto(f"/spaces/central/?date={day.isoformat()}")
    times = page.get_by_role("list", name="Кімната для занять")
    expect(times.get_by_role("link", name=re.compile("^10:00–11:00"))).to_have_count(0)
    expect(times.get_by_text(re.compile("10:00–11:00.*зайнято"))).to_be_visible()

    page.goto(booking.get_absolute_url())
    page.get_by_role("link", name="Не зможете прийти? Скасуйте бронювання").click()
    page.get_by_role("button", name="Так, скасувати бронювання").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Бронювання скасовано")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_a_form_error_keeps_what_was_typed(page, room, axe):
    resource, day = room
    page.goto(f"/spaces/central/{resource.pk}/book/?date={day.isoformat()}&time=12:00")
    page.get_by_label("Контактна особа").fill("Андрій Ткачук")
    page.get_by_label("Е-пошта").fill("tkachuk@example.org")
    page.get_by_label("Скільки буде людей").fill("30")
    page.get_by_role("button", name="Забронювати").click()

    expect(page.get_by_role("alert").first).to_have_text(
        "Не заброньовано: виправте, будь ласка, позначені поля."
    )
    expect(page.get_by_text("Найбільше людей тут: 12.")).to_be_visible()
    expect(page.get_by_label("Контактна особа")).to_have_value("Андрій Ткачук")
    results = axe.run(page)
    assert results.violations_count == 0, describe(results.response["violations"])
    assert not Booking.objects.filter(resource=resource).exists()


@pytest.mark.parametrize("name", PAGES)
def test_spaces_page_has_no_axe_violations(new_context, room, artifacts, axe, name):
    resource, day = room
    booking = Booking.objects.create(
        resource=resource,
        starts_at=datetime.combine(day, time(15), tzinfo=KYIV),
        ends_at=datetime.combine(day, time(16), tzinfo=KYIV),
        organisation="Гімназія № 4",
        name="Марія Кравчук",
        email="kravchuk@example.org",
        people=10,
    )
    path = PAGES[name].format(room=resource.pk, day=day.isoformat(), token=booking.token)
    page = new_context().new_page()
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
