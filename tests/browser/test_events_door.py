"""Door check-in in a real browser: a librarian opens the event's list at the door and marks
each person who comes with one click (a plain form per row); axe checks the page."""

import pytest
from playwright.sync_api import expect

from accounts.models import StaffProfile
from branches.models import Branch
from events.models import Event, Registration
from events.services import registration_create
from tests.browser.test_accessibility import describe
from tests.browser.test_egov import PASSWORD
from tests.browser.test_events import open_afternoon
from tests.factories import make_staff

pytestmark = pytest.mark.browser


@pytest.fixture
def poetry_evening(site):
    branch = Branch.objects.get(slug="branch-5")
    starts = open_afternoon(branch, days=1)
    event = Event.objects.create(
        title="Вечір поезії на Ковельській",
        kind=Event.Kind.WRITER_MEETING,
        branch=branch,
        starts_at=starts,
        ends_at=starts.replace(hour=17),
        audiences=["adults"],
        registration_required=True,
        capacity=5,
        status=Event.Status.PUBLISHED,
    )
    people = [
        registration_create(event=event, name="Оксана Мельник", email="oksana@example.org"),
        registration_create(event=event, name="Богдан Ткачук", phone="050 123 45 67", seats=2),
    ]
    make_staff(
        username="bibliotekar5",
        role=StaffProfile.Role.LIBRARIAN,
        branch=branch,
        group_name="Бібліотекар",
    )
    return event, people


def _sign_in(page, next_url):
    page.goto(f"/admin/login/?next={next_url}")
    page.locator("#id_username").fill("bibliotekar5")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"**{next_url}")


def test_a_librarian_checks_people_in_at_the_door_with_one_click_each(
    new_context, poetry_evening, axe
):
    event, (oksana, bohdan) = poetry_evening
    page = new_context().new_page()
    _sign_in(page, "/admin/events/event/")

    page.get_by_role("row", name=event.title).get_by_role("link", name="Відмітити прихід").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Прихід на захід")
    result = axe.run(page)
    assert result.violations_count == 0, describe(result.response["violations"])

    page.get_by_role("button", name=f"Відмітити прихід, квиток {bohdan.ticket_number}").click()

    expect(page.get_by_text(f"Відмічено прихід: квиток № {bohdan.ticket_number}.")).to_be_visible()
    row = page.locator(f"#registration-{bohdan.pk}")
    expect(row).to_contain_text("Відмічено о")
    expect(page.get_by_role("status")).to_contain_text("1 з 2 реєстрацій, місць — 2 з 3")
    oksana_row = page.locator(f"#registration-{oksana.pk}")
    expect(oksana_row.get_by_role("button", name="Відмітити прихід")).to_be_visible()
    bohdan.refresh_from_db()
    assert bohdan.checked_in_at is not None
    assert Registration.objects.filter(event=event, checked_in_at__isnull=False).count() == 1
    result = axe.run(page)
    assert result.violations_count == 0, describe(result.response["violations"])

    row.get_by_role("button", name="Зняти відмітку").click()

    expect(page.locator(f"#registration-{bohdan.pk}").get_by_role("button")).to_have_text(
        "Відмітити прихід"
    )
    bohdan.refresh_from_db()
    assert bohdan.checked_in_at is None
