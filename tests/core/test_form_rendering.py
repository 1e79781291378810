"""Every public form is drawn by one field template (FORM_RENDERER = TemplatesSetting)."""

import re

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db

APPLY = "/volunteers/apply/"


def application(branch, **overrides):
    data = {
        "name": "Марія Коваль",
        "email": "maria@example.org",
        "birth_year": str(timezone.localdate().year - 25),
        "interests": ["events"],
        "branch": str(branch.pk),
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def fieldset_of(page, input_name):
    for fieldset in re.findall(r'<fieldset class="field choices".*?</fieldset>', page, re.S):
        if f'name="{input_name}"' in fieldset:
            return fieldset
    return None


def test_a_group_of_checkboxes_is_a_fieldset_whose_legend_asks_the_question(client):
    page = client.get(APPLY).content.decode()
    interests = fieldset_of(page, "interests")

    assert interests is not None
    assert "<legend>Чим хочете допомагати" in interests
    assert '<label for="id_interests_0">' in interests


def test_a_field_with_a_mistake_points_screen_readers_at_its_message(client, branch_a):
    page = client.post(APPLY, application(branch_a, name="", interests=[])).content.decode()

    name_input = re.search(r'<input type="text" name="name"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in name_input
    assert 'aria-describedby="id_name_error"' in name_input
    assert '<p class="errors" id="id_name_error">' in page
    assert 'aria-describedby="id_interests_error"' in fieldset_of(page, "interests")


def test_required_fields_say_so_in_the_page_language(client):
    ukrainian = client.get("/e-services/help/").content.decode()
    english = client.get("/en/e-services/help/").content.decode()

    assert '<span class="required">(обовʼязково)</span>' in ukrainian
    assert '<span class="required">(required)</span>' in english


@pytest.mark.parametrize(
    "url", ["/catalog/suggest/", "/e-services/help/", APPLY, "/volunteers/home-delivery/"]
)
def test_people_never_see_the_field_left_for_bots(client, url):
    page = client.get(url).content.decode()

    assert re.search(r'<div class="hp" aria-hidden="true">[^/]*for="id_website"', page)
    assert page.count('name="website"') == 1
