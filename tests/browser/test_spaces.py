"""Spaces and computers in a real browser: a signed-in reader books a computer without
JavaScript after fixing a mistake, sees the booking, cancels it and the hour is free again; a
group asks for a hall that needs the staff's approval and is told it waits; axe on every page
(index, day, form, error, booking, cancel, cancelled), wide and narrow, Ukrainian and English.

axe runs only in contexts with JavaScript: on a page without it axe's timers never fire and
`page.evaluate` waits for ever — that is what hung the first version of this file.
"""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import ReaderProfile
from branches.models import Branch
from core.models import OutgoingMail
from spaces.models import Booking, Resource
from tests.browser.test_accessibility import WIDTHS, describe
from tests.factories import make_reader

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery-staple"
COMPUTER = "Компʼютер 9"
HALL = "Зала для тестових зустрічей"
WAITS = {
    "uk": ("Бронювання чекає підтвердження", "Очікує підтвердження"),
    "en": ("The booking awaits approval", "Awaiting approval"),
}
CANCELLED = {"uk": "Бронювання скасовано", "en": "Booking cancelled"}


@pytest.fixture
def spaces(site):
    """A computer and a hall that needs approval at the central library (Mon–Fri in the demo),
    both without demo bookings, and the first weekday from the day after tomorrow that the
    demo's closures leave open."""
    branch = Branch.objects.get(slug="central")
    day = timezone.localdate() + timedelta(days=2)
    while branch.closure_on(day) or day.weekday() > 4:
        day += timedelta(days=1)
    computer = Resource.objects.create(
        branch=branch,
        kind=Resource.Kind.COMPUTER,
        name=COMPUTER,
        name_en="Computer 9",
        capacity=1,
        slot_minutes=60,
        position=299,
    )
    hall = Resource.objects.create(
        branch=branch,
        kind=Resource.Kind.HALL,
        name=HALL,
        name_en="Test meeting hall",
        capacity=20,
        slot_minutes=120,
        needs_approval=True,
        position=1,
    )
    return computer, hall, day


def sign_in_reader(page):
    reader = make_reader(
        username="olena", branch=Branch.objects.get(slug="central"), card_sequence=987_654
    )
    # Accounts need a confirmed address to sign in (ACCOUNT_EMAIL_VERIFICATION).
    EmailAddress.objects.create(user=reader, email=reader.email, verified=True, primary=True)
    page.goto("/accounts/login/?next=/spaces/")
    page.locator("#id_login").fill(reader.reader_profile.card_number)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/spaces/")
    return reader


def test_a_reader_books_a_computer_without_javascript_fixes_a_mistake_and_cancels(
    new_context, spaces
):
    computer, _hall, day = spaces
    page = new_context(java_script_enabled=False).new_page()
    reader = sign_in_reader(page)
    assert ReaderProfile.objects.filter(user=reader).exists()

    central = Branch.objects.get(slug="central")
    page.get_by_role("heading", level=2).get_by_role("link", name=central.name, exact=True).click()
    page.get_by_label("Дата").fill(day.isoformat())
    page.get_by_role("button", name="Показати вільний час").click()
    times = page.get_by_role("list", name=COMPUTER)
    times.get_by_role("link", name=re.compile("^11:00–12:00")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Забронювати: {COMPUTER}")
    # A signed-in reader's name and address are there already.
    expect(page.get_by_label("Е-пошта")).to_have_value("olena@example.org")

    # A typo in the address and no consent: nothing is booked, what was typed stays.
    page.get_by_label("Е-пошта").fill("olena.example.org")
    page.get_by_label(re.compile("^Для чого")).fill("Резюме й пошук роботи")
    page.get_by_role("button", name="Забронювати").click()

    expect(page.get_by_role("alert").first).to_have_text(
        "Не заброньовано: виправте, будь ласка, позначені поля."
    )
    expect(
        page.get_by_text("Перевірте адресу е-пошти: у ній має бути «@» і домен.")
    ).to_be_visible()
    expect(page.get_by_text("Без згоди на обробку даних ми не можемо забронювати.")).to_be_visible()
    expect(page.get_by_label("Е-пошта")).to_have_value("olena.example.org")
    expect(page.get_by_label(re.compile("^Для чого"))).to_have_value("Резюме й пошук роботи")
    assert not Booking.objects.filter(resource=computer).exists()

    page.get_by_label("Е-пошта").fill("olena@example.org")
    page.get_by_label(re.compile("^Погоджуюся на обробку")).check()
    page.get_by_role("button", name="Забронювати").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Бронювання підтверджено")
    expect(page.get_by_text(f"{COMPUTER} (Компʼютер для читачів)")).to_be_visible()
    expect(page.get_by_text(re.compile(r"11:00–12:00$"))).to_be_visible()
    booking = Booking.objects.get(resource=computer)
    assert (booking.user, booking.email, booking.purpose, booking.status) == (
        reader,
        "olena@example.org",
        "Резюме й пошук роботи",
        Booking.Status.CONFIRMED,
    )
    letter = OutgoingMail.objects.get(to="olena@example.org", template="spaces/email/booking")
    assert letter.context["kind"] == "confirmed"

    # The hour is taken for everyone else now.
    page.goto(f"/spaces/central/?date={day.isoformat()}")
    times = page.get_by_role("list", name=COMPUTER)
    expect(times.get_by_role("link", name=re.compile("^11:00–12:00"))).to_have_count(0)
    expect(times.get_by_text(re.compile("11:00–12:00.*зайнято"))).to_be_visible()

    # The link from the letter: the booking's page, its cancel link, and the hour frees.
    page.goto(booking.get_absolute_url())
    page.get_by_role("link", name="Не зможете прийти? Скасуйте бронювання").click()
    page.get_by_role("button", name="Так, скасувати бронювання").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Бронювання скасовано")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED

    page.get_by_role("link", name="Забронювати інший час").click()
    page.goto(f"/spaces/central/?date={day.isoformat()}")
    times = page.get_by_role("list", name=COMPUTER)
    expect(times.get_by_role("link", name=re.compile("^11:00–12:00"))).to_be_visible()


def check_axe(axe, page, where, problems):
    """axe at every width of WIDTHS on the page as it is (a POST's answer cannot be reloaded)."""
    for width_name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        results = axe.run(page)
        if results.violations_count:
            problems.append(
                f"{where} at {width}px ({width_name}): {results.violations_count} "
                f"violation(s)\n{describe(results.response['violations'])}"
            )
    page.set_viewport_size({"width": WIDTHS["wide"][0], "height": WIDTHS["wide"][1]})


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_a_group_asks_for_a_hall_that_needs_approval_with_axe_on_every_page(
    new_context, spaces, axe, artifacts, prefix
):
    _computer, hall, day = spaces
    page = new_context().new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    problems = []
    lang = prefix.strip("/") or "uk"

    def checked(name):
        page.screenshot(path=artifacts / f"spaces-{lang}-{name}.png", full_page=True)
        check_axe(axe, page, f"{name} ({page.url})", problems)

    assert page.goto(f"{prefix}/spaces/").status == 200
    checked("index")
    assert page.goto(f"{prefix}/spaces/central/?date={day.isoformat()}").status == 200
    checked("day")
    page.locator(f"ul[aria-labelledby='resource-{hall.pk}'] a").first.click()
    expect(page.locator("main form #id_name")).to_be_visible()
    checked("form")

    # No group's name and more people than the hall holds.
    page.locator("#id_name").fill("Марія Кравчук")
    page.locator("#id_email").fill("kravchuk@example.org")
    page.locator("#id_people").fill("35")
    page.locator("#id_consent").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main .errors[role=alert]").first).to_be_visible()
    expect(page.locator("#id_people")).to_have_value("35")
    expect(page.locator("#id_name")).to_have_value("Марія Кравчук")
    checked("error")

    page.locator("#id_organisation").fill("Гімназія № 4")
    page.locator("#id_people").fill("18")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/spaces/bookings/[\w-]+/$"))
    booking = Booking.objects.get(resource=hall)
    assert (booking.status, booking.organisation, booking.people, booking.language) == (
        Booking.Status.PENDING,
        "Гімназія № 4",
        18,
        lang,
    )
    heading, status = WAITS[lang]
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator("dl.facts")).to_contain_text(status)
    checked("booking")

    page.goto(f"{prefix}{booking.get_cancel_url()}")
    checked("cancel")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CANCELLED[lang])
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    checked("cancelled")

    assert not problems, "\n\n".join(problems)
    assert not errors


def test_axe_refuses_a_page_without_javascript_instead_of_waiting_for_ever(new_context, axe):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/spaces/")
    with pytest.raises(pytest.fail.Exception, match="java_script_enabled=False"):
        axe.run(page)
