"""Events in a real browser: axe on the calendar, event and club pages, wide and narrow; a
visitor finds an event, registers, sees the confirmation and cancels through the link."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from branches.models import Branch
from events.models import Club, ClubMembership, Event, Registration
from tests.browser.test_accessibility import WIDTHS, describe
from tests.browser.test_flows import widest_elements

pytestmark = pytest.mark.browser

TITLE = "Зустріч із поеткою Оленою Тарасюк"


def open_afternoon(branch, *, days=3):
    """15:00 on the first day at least `days` ahead when `branch` is open from 15 to 17 (its
    demo hours and closures decide): an event then needs no reason for a closed library."""
    start = timezone.localtime().replace(hour=15, minute=0, second=0, microsecond=0)
    for shift in range(days, days + 21):
        starts = start + timedelta(days=shift)
        trial = Event(branch=branch, starts_at=starts, ends_at=starts + timedelta(hours=2))
        if not trial.library_closed():
            return starts
    raise AssertionError(f"{branch} is never open in three weeks")


@pytest.fixture
def concert(site):
    """An upcoming event with two seats in branch 5 (the demo season is loaded too)."""
    branch = Branch.objects.get(slug="branch-5")
    starts = open_afternoon(branch)
    return Event.objects.create(
        title=TITLE,
        description="Поезія, розмова і автограф-сесія.",
        kind=Event.Kind.WRITER_MEETING,
        branch=branch,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        audiences=["adults", "youth"],
        registration_required=True,
        capacity=2,
        status=Event.Status.PUBLISHED,
        published_at=timezone.now(),
    )


def test_event_pages_have_no_axe_violations_wide_and_narrow(new_context, concert, artifacts):
    club = Club.objects.order_by("pk").first()
    today = timezone.localdate()
    waiting = Registration.objects.filter(status=Registration.Status.WAITLISTED).first()
    member = ClubMembership.objects.filter(left_on__isnull=True).first()
    held = Event.objects.filter(status=Event.Status.HELD).first()
    cancelled = Event.objects.filter(status=Event.Status.CANCELLED).first()
    pages = {
        "events-list": "/events/",
        "events-filtered": "/events/?kind=writer_meeting&free_only=on",
        "events-month": f"/events/{today.year}/{today.month}/",
        "event": concert.get_absolute_url(),
        "clubs": "/events/clubs/",
        "club": club.get_absolute_url(),
        "en-events": "/en/events/",
        "en-event": f"/en/events/{concert.pk}/",
        "registration": waiting.get_absolute_url(),
        "registration-cancel": reverse("events:registration_cancel", args=[waiting.token]),
        "membership-leave": reverse("events:membership_leave", args=[member.token]),
        "held": held.get_absolute_url(),
        "cancelled": cancelled.get_absolute_url(),
    }
    problems = []
    for width_name, (width, height) in WIDTHS.items():
        page = new_context(viewport={"width": width, "height": height}).new_page()
        for name, url in pages.items():
            response = page.goto(url)
            assert response.status == 200, url
            page.screenshot(path=str(artifacts / f"{name}-{width_name}.png"), full_page=True)
            result = Axe().run(page)
            if result.violations_count:
                problems.append(f"{url} ({width_name}):\n{describe(result.response['violations'])}")
            if width_name == "narrow":
                wide = widest_elements(page)
                if wide:
                    problems.append(f"{url} is wider than a phone: {wide}")
    assert problems == [], "\n".join(problems)


def test_a_visitor_finds_an_event_registers_and_cancels_through_the_link(page, concert):
    page.goto("/events/")
    page.get_by_label("Бібліотека").select_option(label=concert.branch.name)
    page.get_by_label("Вид заходу").select_option(label="Зустріч з письменником")
    page.get_by_role("button", name="Показати").click()
    page.get_by_role("link", name=TITLE).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".seats")).to_contain_text("2 з 2")
    page.get_by_label("Імʼя та прізвище").fill("Марія Ковальчук")
    page.get_by_label("Е-пошта").fill("maria@example.org")
    page.get_by_label("Скільки місць").select_option("2")
    page.get_by_label("Погоджуюся").check()
    page.get_by_role("button", name="Зареєструватися").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ваша реєстрація")
    expect(page.locator(".status-line")).to_contain_text("підтверджено 2 місця")
    registration = Registration.objects.get(email="maria@example.org")
    assert page.url.split("#")[0].endswith(registration.get_absolute_url())

    page.get_by_role("link", name="Не зможете прийти? Скасуйте реєстрацію").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Скасування реєстрації")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    page.get_by_role("button", name="Так, скасувати реєстрацію").click()

    expect(page.get_by_role("status")).to_contain_text("Реєстрацію скасовано")
    registration.refresh_from_db()
    concert.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert concert.seats_left == 2


def test_registration_form_works_without_javascript_and_keeps_what_was_typed(new_context, concert):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(concert.get_absolute_url())
    page.get_by_label("Імʼя та прізвище").fill("Іван Без Скриптів")
    page.get_by_label("Е-пошта").fill("ivan-at-example")
    page.get_by_role("button", name="Зареєструватися").click()

    expect(page.get_by_role("alert").first).to_contain_text("Реєстрацію не збережено")
    expect(page.get_by_label("Імʼя та прізвище")).to_have_value("Іван Без Скриптів")
    expect(page.locator("#id_email_error")).to_contain_text("Перевірте адресу е-пошти")


def test_a_visitor_sees_a_days_club_meetings_in_the_list_and_the_month_on_a_phone(
    new_context, concert
):
    club = Club.objects.create(
        name="Клуб настільних ігор «Хід конем»",
        slug="board-games",
        kind=Club.Kind.CLUB,
        focus=Club.Focus.OTHER,
        branch=concert.branch,
        weekdays=[concert.starts_at.weekday()],
        starts_at_time=timezone.localtime(concert.starts_at).time().replace(hour=12),
        starts_on=timezone.localdate(),
    )
    page = new_context(viewport={"width": 360, "height": 800}).new_page()

    page.goto(f"/events/?branch={concert.branch.slug}")
    day = page.locator(".calendar-day", has=page.get_by_role("link", name=TITLE))
    expect(day.get_by_role("heading", level=4, name="Зустрічі клубів і шкіл")).to_be_visible()
    day.get_by_role("link", name=club.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(club.name)

    starts = timezone.localtime(concert.starts_at)
    page.goto(f"/events/{starts.year}/{starts.month}/")
    cell = page.locator("td.has-entries", has=page.get_by_role("link", name=TITLE))
    expect(cell).to_contain_text(starts.strftime("%-d"))
    expect(cell.get_by_role("link", name=f"12:00 {club.name}")).to_be_visible()
    assert widest_elements(page) == []


def test_on_a_phone_a_registration_mistake_lands_on_the_errors(new_context, concert):
    page = new_context(viewport={"width": 360, "height": 640}).new_page()
    page.goto(concert.get_absolute_url())
    page.get_by_label("Імʼя та прізвище").fill("Іван")
    page.get_by_label("Е-пошта").fill("ivan-at-example")
    page.get_by_role("button", name="Зареєструватися").click()

    assert page.url.endswith("/register/#register-title")
    expect(page.locator("#register-errors")).to_be_in_viewport()
    expect(page.locator("#register-errors")).to_contain_text("Перевірте адресу е-пошти")

    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
