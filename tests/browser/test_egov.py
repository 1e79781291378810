"""The e-services help desk in a real browser: axe on its pages, wide and narrow; a citizen
books a consultation slot and gets the confirmation; someone who had the same slot open is
told it was just taken and offered other times; a form error keeps what was typed."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import StaffProfile
from branches.models import Branch
from core.tz import KYIV
from egov.models import Booking, Slot, WalkIn
from tests.browser.test_accessibility import WIDTHS, describe
from tests.factories import make_staff

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery-staple"

PAGES = {
    "egov-landing": "/e-services/",
    "egov-guides": "/e-services/guides/?q=дією",
    "egov-guides-typo": "/e-services/guides/?q=субсидии",
    "egov-guide": "/e-services/guides/diia-sign-in/",
    "egov-help": "/e-services/help/",
    "egov-slots": "/e-services/slots/",
    "egov-book": "/e-services/slots/{slot}/",
    "egov-booking": "/e-services/bookings/{token}/",
    "egov-cancel": "/e-services/bookings/{token}/cancel/",
    "en-egov-landing": "/en/e-services/",
    "en-egov-book": "/en/e-services/slots/{slot}/",
}


@pytest.fixture
def slots(site):
    """Two legal consultations with a partner lawyer at branch 5, on the first day from the day
    after tomorrow that the demo's sanitary days and holidays leave open."""
    branch = Branch.objects.get(slug="branch-5")
    day = timezone.localdate() + timedelta(days=2)
    while branch.closure_on(day):
        day += timedelta(days=1)
    made = []
    for hour in (8, 9):
        start = datetime.combine(day, time(hour, 7), tzinfo=KYIV)
        made.append(
            Slot.objects.create(
                branch=branch,
                kind=Slot.Kind.LEGAL,
                starts_at=start,
                ends_at=start + timedelta(minutes=45),
                consultant="Юрист-партнер",
            )
        )
    return made


def fill_booking(page, name):
    page.get_by_label(re.compile(r"^Як до вас звертатися")).fill(name)
    page.get_by_label("Е-пошта").fill("hanna@example.org")
    page.get_by_label(re.compile(r"^Погоджуюся на обробку")).check()


def test_a_citizen_books_a_slot_and_the_next_one_is_told_it_was_just_taken(new_context, slots, axe):
    first, second = slots
    hanna = new_context().new_page()
    petro = new_context().new_page()
    # Both open the same free time…
    hanna.goto(f"/e-services/slots/{first.pk}/")
    petro.goto(f"/e-services/slots/{first.pk}/")
    fill_booking(hanna, "Ганна")
    fill_booking(petro, "Петро")

    # …Hanna presses «Записатися» first.
    hanna.get_by_role("button", name="Записатися").click()

    expect(hanna.get_by_role("heading", level=1)).to_have_text("Ви записалися на консультацію")
    expect(hanna.get_by_text("Юридична консультація · Юрист-партнер")).to_be_visible()
    assert axe.run(hanna).violations_count == 0

    petro.get_by_role("button", name="Записатися").click()

    expect(petro.get_by_role("alert")).to_have_text(
        "На жаль, цей час уже зайняли або він минув. Оберіть, будь ласка, інший."
    )
    other = petro.get_by_role("region", name="Інший вільний час у цій бібліотеці")
    expect(other.get_by_role("link", name=re.compile("09:07–09:52"))).to_be_visible()
    results = axe.run(petro)
    assert results.violations_count == 0, describe(results.response["violations"])
    mine = Booking.objects.filter(slot__in=slots, is_demo=False)
    assert list(mine.values_list("slot_id", "name")) == [(first.pk, "Ганна")]


def test_booking_without_consent_explains_in_ukrainian_and_keeps_what_was_typed(page, slots, axe):
    page.goto("/e-services/slots/")
    page.get_by_role("link", name=re.compile("08:07–08:52")).click()
    page.get_by_label(re.compile(r"^Як до вас звертатися")).fill("Ганна")
    page.get_by_label("Телефон").fill("050 123 45 67")
    page.get_by_role("button", name="Записатися").click()

    expect(page.get_by_role("alert").first).to_have_text(
        "Вас не записано: виправте, будь ласка, позначені поля."
    )
    expect(
        page.get_by_text("Без згоди на обробку даних ми не можемо вас записати.")
    ).to_be_visible()
    expect(page.get_by_label(re.compile(r"^Як до вас звертатися"))).to_have_value("Ганна")
    expect(page.get_by_label("Телефон")).to_have_value("050 123 45 67")
    results = axe.run(page)
    assert results.violations_count == 0, describe(results.response["violations"])
    assert not Booking.objects.filter(slot__in=slots).exists()


@pytest.mark.parametrize("name", PAGES)
def test_e_services_page_has_no_axe_violations(new_context, slots, artifacts, axe, name):
    booking = Booking.objects.create(slot=slots[1], name="Ганна", phone="050 123 45 67")
    path = PAGES[name].format(slot=slots[0].pk, token=booking.token)
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


def test_booking_works_without_javascript(new_context, slots):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/e-services/")
    page.get_by_role("link", name="Записатися на консультацію").click()
    page.get_by_label("Вид консультації").select_option(label="Юридична консультація")
    page.get_by_role("button", name="Показати").click()
    page.get_by_role("link", name=re.compile("09:07–09:52")).click()
    page.get_by_label(re.compile(r"^Як до вас звертатися")).fill("Ганна")
    page.get_by_label("Телефон").fill("050 123 45 67")
    page.get_by_label(re.compile(r"^Погоджуюся на обробку")).check()
    page.get_by_role("button", name="Записатися").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ви записалися на консультацію")
    page.get_by_role("link", name="Не зможете прийти? Скасуйте запис").click()
    page.get_by_role("button", name="Так, скасувати запис").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Запис скасовано")
    assert Booking.objects.get(slot=slots[1]).status == Booking.Status.CANCELLED


def test_a_librarian_logs_walk_ins_is_asked_about_a_twin_and_deletes_a_mistake(new_context, axe):
    make_staff(
        username="bibliotekar5",
        role=StaffProfile.Role.LIBRARIAN,
        branch=Branch.objects.get(slug="branch-5"),
        group_name="Бібліотекар",
    )
    page = new_context().new_page()
    page.goto("/admin/login/?next=/admin/egov/walkin/add/")
    page.locator("#id_username").fill("bibliotekar5")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/admin/egov/walkin/add/")

    # A click on «Зберегти» out of habit logs nothing: the form starts empty.
    page.get_by_role("button", name="Зберегти", exact=True).click()
    expect(page.get_by_text("Оберіть тему звернення.")).to_be_visible()

    # First person: a subsidy form, 30 minutes, solved.
    page.get_by_label("Соціальна допомога").check()
    page.get_by_label("30 хв").check()
    page.get_by_role("button", name="Зберегти", exact=True).click()
    expect(page.get_by_text("Звернення «Соціальна допомога» (30 хв) додано.")).to_be_visible()
    expect(page.get_by_label("Соціальна допомога")).not_to_be_checked()

    # The same topic a minute later: the form asks whether it is another person.
    page.get_by_label("Соціальна допомога").check()
    page.get_by_label("10 хв").check()
    page.get_by_label("Вирішено").uncheck()
    page.get_by_role("button", name="Зберегти", exact=True).click()
    expect(
        page.get_by_text("ви вже записали звернення на тему «Соціальна допомога»")
    ).to_be_visible()
    page.get_by_label("Так, це інша людина — записати ще одне звернення").check()
    page.get_by_role("button", name="Зберегти", exact=True).click()
    expect(page.get_by_text("Звернення «Соціальна допомога» (10 хв) додано.")).to_be_visible()
    results = axe.run(page)
    assert not results.violations_count, describe(results.response["violations"])

    logged = WalkIn.objects.filter(is_demo=False).order_by("pk")
    assert [(w.branch.slug, w.topic.slug, w.minutes, w.resolved) for w in logged] == [
        ("branch-5", "social-assistance", 30, True),
        ("branch-5", "social-assistance", 10, False),
    ]

    # The second one was a mistake after all: deleted from the list of today's cases (newest first).
    page.get_by_role("link", name=re.compile("^Видалити")).first.click()
    page.get_by_role("button", name=re.compile("Так")).click()
    expect(page.get_by_text("Звернення видалено.")).to_be_visible()
    assert list(logged.values_list("minutes", flat=True)) == [30]
