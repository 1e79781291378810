"""Library tourism, «Біля мене» and feedback after a consultation in a real browser: axe on
every page, wide and narrow, in both languages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from branches.models import Branch
from egov.models import Booking, Slot
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
