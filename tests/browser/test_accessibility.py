"""axe-core finds no violations on the public pages, wide and narrow; screenshots of each.

The screenshots land in test-artifacts/ (gitignored) for a person to look at.
"""

import pytest

pytestmark = pytest.mark.browser

BRANCH = "branch-5"
PAGES = {
    "home": "/",
    "branches": "/branches/",
    "branch": f"/branches/{BRANCH}/",
    "en-home": "/en/",
    "en-branches": "/en/branches/",
    "en-branch": f"/en/branches/{BRANCH}/",
    "paid-services": "/branches/paid-services/",
    "en-paid-services": "/en/branches/paid-services/",
    "catalog": "/catalog/",
    "events": "/events/",
    "volunteers": "/volunteers/",
    "e-services": "/e-services/",
    "ask": "/ask/",
    "en-ask": "/en/ask/",
    "ask-answers": "/ask/answers/?q=замок",
    "news": "/news/",
    "en-news": "/en/news/",
    # English lists that mix translated and untranslated demo texts (one notice, lang="uk").
    "en-events": "/en/events/",
    "en-clubs": "/en/events/clubs/",
    "en-guides": "/en/e-services/guides/",
    "en-guide": "/en/e-services/guides/diia-sign-in/",
    "en-guide-untranslated": "/en/e-services/guides/pension-fund-portal/",
    "press": "/news/press/",
    "search": "/search/?q=Шевченка",
    "en-search": "/en/search/?q=Шевченка",
    "not-found": "/nope/",
    "en-not-found": "/en/nope/",
}
EXPECTED_STATUS = {"not-found": 404, "en-not-found": 404}
WIDTHS = {"wide": (1280, 900), "narrow": (360, 740)}


def describe(violations):
    """Enough of each violation to fix it: rule, help, where, and axe's own summary."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f"\n  {violation.get('helpUrl', '')}"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {' > '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            summary = node.get("failureSummary", "").replace("\n", "\n         ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


def wait_for_map(page):
    """Pages with a map: let branch-map.js show it and Leaflet draw markers and controls."""
    if page.locator("#branch-map").count():
        page.locator("#branch-map.leaflet-container").wait_for(state="visible")
        page.locator("#branch-map .leaflet-marker-icon").first.wait_for(state="visible")


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_axe_violations(new_context, artifacts, axe, name):
    context = new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    problems = []
    for width_name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        response = page.goto(PAGES[name])
        expected = EXPECTED_STATUS.get(name, 200)
        assert response.status == expected, f"{PAGES[name]} answered {response.status}"
        wait_for_map(page)
        page.screenshot(path=artifacts / f"{name}-{width}.png", full_page=True)
        results = axe.run(page)
        if results.violations_count:
            problems.append(
                f"{PAGES[name]} at {width}px ({width_name}): {results.violations_count} "
                f"violation(s)\n{describe(results.response['violations'])}"
            )
    assert not problems, "\n\n".join(problems)
    assert not errors, f"JavaScript errors on {PAGES[name]}: {errors}"
    assert not context.blocked_requests, (
        f"{PAGES[name]} tried to reach other machines: {context.blocked_requests}"
    )
