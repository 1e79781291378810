"""The staff side: each librarian works on their own library only; methodologists see all."""

import re
from datetime import date, time

import pytest
from django.contrib.auth.models import Permission

from branches.models import Branch, Closure
from tests.factories import ClosureFactory, UserFactory, ZoneFactory, set_hours

CHANGELIST = "/admin/branches/branch/"
CLOSURES = "/admin/branches/closure/"


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def shown(response):
    """What a changelist shows, as the objects on its page."""
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def form_data(response):
    """The change form as the browser would post it back: every field and every inline
    formset (with its management form) filled with what the page showed."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            key = form[name].html_name
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(item) for item in value]
            elif hasattr(value, "isoformat"):
                data[key] = value.isoformat()
            else:
                data[key] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


@pytest.fixture
def branch_a_with_hours(branch_a):
    branch_a.phone = "+380 332 00-00-05"
    branch_a.save()
    set_hours(branch_a, weekdays=range(5), breaks=(time(13), time(14)))
    ZoneFactory(branch=branch_a, kind="quiet", name="Тиха зала")
    ClosureFactory(branch=branch_a, start_date=date(2099, 1, 3), end_date=date(2099, 1, 3))
    return branch_a


# --- who gets in -------------------------------------------------------------------------------


def test_reader_who_is_not_staff_is_sent_to_the_admin_login(client, reader):
    client.force_login(reader)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_anonymous_visitor_is_sent_to_the_admin_login(client, db):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"


def test_staff_member_without_a_profile_sees_no_library(client, db):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_branch"))
    client.force_login(user)

    assert shown(client.get(CHANGELIST)) == []


# --- libraries ---------------------------------------------------------------------------------


def test_librarian_sees_only_their_own_library(client, librarian_a):
    client.force_login(librarian_a)

    assert [b.slug for b in shown(client.get(CHANGELIST))] == ["branch-5"]


def test_librarian_cannot_open_another_librarys_page(client, librarian_a, branch_a, branch_b):
    client.force_login(librarian_a)

    assert client.get(change_url(branch_a)).status_code == 200
    response = client.get(change_url(branch_b))
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response["Location"] == "/admin/"


def test_librarian_may_read_but_not_edit_their_library(client, librarian_a, branch_a_with_hours):
    client.force_login(librarian_a)
    page = client.get(change_url(branch_a_with_hours))
    data = form_data(page)
    data["phone"] = "+380 99 999 99 99"

    response = client.post(change_url(branch_a_with_hours), data)

    assert response.status_code == 403
    branch_a_with_hours.refresh_from_db()
    assert branch_a_with_hours.phone == "+380 332 00-00-05"


def test_branch_head_changes_their_librarys_phone(client, branch_head_a, branch_a_with_hours):
    client.force_login(branch_head_a)
    page = client.get(change_url(branch_a_with_hours))
    assert page.status_code == 200
    data = form_data(page)
    assert data["hours-TOTAL_FORMS"] == "5"
    data["phone"] = "+380 332 11-22-33"

    response = client.post(change_url(branch_a_with_hours), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    branch_a_with_hours.refresh_from_db()
    # Stored in E.164 whatever the spelling, so that it compares and dials alike.
    assert branch_a_with_hours.phone == "+380332112233"
    assert branch_a_with_hours.hours.count() == 5
    assert branch_a_with_hours.zones.count() == 1


def test_branch_head_cannot_change_another_library(
    client, branch_head_a, branch_a_with_hours, branch_b
):
    client.force_login(branch_head_a)
    data = form_data(client.get(change_url(branch_a_with_hours)))
    data["phone"] = "+380 332 66-66-66"

    assert client.get(change_url(branch_b)).status_code in (302, 404)
    response = client.post(change_url(branch_b), data)

    assert response.status_code in (302, 403, 404)
    branch_b.refresh_from_db()
    assert branch_b.phone == ""
    assert branch_b.name == "Бібліотека-філія № 7"


def test_branch_head_cannot_rename_the_librarys_code_or_kind(
    client, branch_head_a, branch_a_with_hours
):
    client.force_login(branch_head_a)
    data = form_data(client.get(change_url(branch_a_with_hours)))
    data.update(slug="hijacked", kind=Branch.Kind.CENTRAL, is_active="")

    client.post(change_url(branch_a_with_hours), data)

    branch_a_with_hours.refresh_from_db()
    assert branch_a_with_hours.slug == "branch-5"
    assert branch_a_with_hours.kind == Branch.Kind.BRANCH
    assert branch_a_with_hours.is_active


def test_branch_head_cannot_add_a_library(client, branch_head_a):
    client.force_login(branch_head_a)

    assert client.get("/admin/branches/branch/add/").status_code == 403


def test_methodologist_sees_all_eight_libraries(client, methodologist):
    client.force_login(methodologist)

    assert len(shown(client.get(CHANGELIST))) == 8


def test_methodologist_can_open_any_library(client, methodologist, branch_a, branch_b):
    client.force_login(methodologist)

    assert client.get(change_url(branch_a)).status_code == 200
    assert client.get(change_url(branch_b)).status_code == 200


# --- closures ----------------------------------------------------------------------------------


def test_librarian_sees_only_their_librarys_closures(client, librarian_a, branch_a, branch_b):
    own = ClosureFactory(branch=branch_a, start_date=date(2099, 1, 1), end_date=date(2099, 1, 1))
    ClosureFactory(branch=branch_b, start_date=date(2099, 1, 2), end_date=date(2099, 1, 2))
    client.force_login(librarian_a)

    assert shown(client.get(CLOSURES)) == [own]


def test_librarian_cannot_open_another_librarys_closure(client, librarian_a, branch_b):
    theirs = ClosureFactory(branch=branch_b, start_date=date(2099, 1, 2), end_date=date(2099, 1, 2))
    client.force_login(librarian_a)

    response = client.get(change_url(theirs))

    assert response.status_code in (302, 404)
    assert client.post(f"{CLOSURES}{theirs.pk}/delete/", {"post": "yes"}).status_code in (
        302,
        403,
        404,
    )
    assert Closure.objects.filter(pk=theirs.pk).exists()


def test_librarian_adds_a_sanitary_day_for_their_library(client, librarian_a, branch_a):
    client.force_login(librarian_a)

    response = client.post(
        f"{CLOSURES}add/",
        {
            "branch": branch_a.pk,
            "kind": "sanitary",
            "start_date": "2099-03-02",
            "end_date": "2099-03-02",
            "reason_uk": "",
        },
    )

    assert response.status_code == 302
    closure = Closure.objects.get()
    assert closure.branch == branch_a
    assert closure.start_date == date(2099, 3, 2)


def test_librarian_posting_another_librarys_id_gets_no_closure_there(client, librarian_a, branch_b):
    client.force_login(librarian_a)

    response = client.post(
        f"{CLOSURES}add/",
        {
            "branch": branch_b.pk,
            "kind": "sanitary",
            "start_date": "2099-03-02",
            "end_date": "2099-03-02",
        },
    )

    assert not Closure.objects.filter(branch=branch_b).exists()
    # The form offers only the librarian's own library; another id is an invalid choice.
    assert response.status_code == 200
    assert "branch" in response.context["adminform"].form.errors


def test_librarian_cannot_close_the_whole_network(client, librarian_a, branch_a):
    client.force_login(librarian_a)

    response = client.post(
        f"{CLOSURES}add/",
        {"branch": "", "kind": "holiday", "start_date": "2099-03-02", "end_date": "2099-03-02"},
    )

    # Refused with a message, never silently saved under another meaning.
    assert response.status_code == 200
    assert "branch" in response.context["adminform"].form.errors
    assert not Closure.objects.exists()


def test_librarians_closure_form_has_no_whole_network_choice(client, librarian_a, branch_a):
    client.force_login(librarian_a)

    body = client.get(f"{CLOSURES}add/").content.decode()
    select = re.search(r'<select name="branch".*?</select>', body, flags=re.S).group(0)

    assert re.findall(r'<option value="([^"]*)"', select) == [str(branch_a.pk)]
    assert "зачинено всю мережу" not in body


def test_methodologists_closure_form_still_offers_the_whole_network(client, methodologist):
    client.force_login(methodologist)

    body = client.get(f"{CLOSURES}add/").content.decode()
    select = re.search(r'<select name="branch".*?</select>', body, flags=re.S).group(0)

    assert '<option value="" selected>' in select


def test_librarians_closure_form_offers_only_their_library(client, librarian_a, branch_a):
    client.force_login(librarian_a)

    field = client.get(f"{CLOSURES}add/").context["adminform"].form.fields["branch"]

    assert list(field.queryset) == [branch_a]


def test_methodologist_closes_the_whole_network(client, methodologist):
    client.force_login(methodologist)

    client.post(
        f"{CLOSURES}add/",
        {
            "branch": "",
            "kind": "holiday",
            "start_date": "2099-01-01",
            "end_date": "2099-01-01",
            "reason_uk": "Новий рік",
        },
    )

    assert Closure.objects.get().branch is None


def test_closure_ending_before_it_starts_is_refused(client, librarian_a, branch_a):
    client.force_login(librarian_a)

    response = client.post(
        f"{CLOSURES}add/",
        {
            "branch": branch_a.pk,
            "kind": "sanitary",
            "start_date": "2099-03-05",
            "end_date": "2099-03-02",
        },
    )

    assert response.status_code == 200
    assert not Closure.objects.exists()
