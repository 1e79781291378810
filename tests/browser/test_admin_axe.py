"""axe-core finds nothing on the admin pages each staff role opens.

Library A gets one object of every model (tests/admin_seed.py). Signed in as the librarian
and the branch head of A, the methodologist and the administrator, one browser context per
role opens the admin index and, for every registered model its permissions let it see, the
list, the add form and the change form (and a survey's results) of one object it may see;
axe runs on each. The branch head opens only the pages the librarian does not (the same
templates otherwise), the administrator only what no branch role sees (users, groups, sign-in
logs, mail), so each role's slice stays near two minutes. The failure lists every page with
its violations.
"""

import pytest

from tests.admin_seed import role_pages, seed_one_of_each
from tests.browser.test_accessibility import describe
from tests.browser.test_writeoff import PASSWORD, sign_in

pytestmark = pytest.mark.browser

ROLES = ["librarian_a", "branch_head_a", "methodologist", "administrator"]


@pytest.fixture
def administrator(django_user_model):
    return django_user_model.objects.create_superuser(
        "administrator", "administrator@example.org", PASSWORD
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_page_a_role_opens_passes_axe(
    request, role, site, branch_a, librarian_a, new_context, axe
):
    seed_one_of_each(branch=branch_a, staff=librarian_a)
    user = request.getfixturevalue(role)
    context = new_context()
    # axe-core once per context, in every page it opens, rather than sent again per page.
    context.add_init_script(axe.axe_script)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    sign_in(page, user, "/admin/")

    # A survey's results (reference) is the one admin page of its own a model adds.
    pages = role_pages(request, role, views=("change", "results"))

    problems, opened = [], 0
    for url, what in pages:
        response = page.goto(url)
        opened += 1
        if response.status != 200:
            problems.append(f"{what} {url} answered {response.status}")
            continue
        violations = page.evaluate("axe.run({resultTypes: ['violations']})")["violations"]
        if violations:
            problems.append(f"{what} {url}:\n{describe(violations)}")
    assert opened > 5, f"{role} opened only {opened} admin pages"
    assert not problems, f"{len(problems)} of {opened} pages:\n\n" + "\n\n".join(problems)
    assert not errors, f"JavaScript errors: {errors}"


def test_a_running_imports_page_brings_its_figures_in_without_reloading(
    site, branch_a, librarian_a, new_context, axe
):
    from django.core.files.base import ContentFile
    from playwright.sync_api import expect

    from catalog.models import MarcImport

    upload = MarcImport.objects.create(
        file=ContentFile(b"00026", name="records.iso"),
        original_name="records.iso",
        branch=branch_a,
        created_by=librarian_a,
        status=MarcImport.Status.RUNNING,
        bytes_total=1000,
        bytes_done=250,
    )
    page = new_context().new_page()
    sign_in(page, librarian_a, f"/admin/catalog/marcimport/{upload.pk}/change/")
    expect(page.get_by_role("status")).to_contain_text("Імпорт триває.")
    violations = axe.run(page).response["violations"]
    assert not violations, describe(violations)
    page.evaluate("window.stayedOnThePage = true")

    MarcImport.objects.filter(pk=upload.pk).update(
        status=MarcImport.Status.DONE, bytes_done=1000, records_seen=41, loaded=41
    )

    expect(page.get_by_role("status")).to_have_text("Імпорт завершено.", timeout=15_000)
    expect(page.locator(".field-loaded .readonly")).to_have_text("41")
    assert page.evaluate("window.stayedOnThePage === true")
