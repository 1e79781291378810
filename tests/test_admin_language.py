"""The admin reads as Ukrainian written around our model names: Django's Ukrainian admin
strings put a name like «анкета волонтера» into slots that need another case («Виберіть
реєстрація щоб змінити», «Додати анкета волонтера», «За бібліотека»); the project catalogue
rephrases them so the nominative fits («Оберіть, що змінити: реєстрація», «Додати: анкета
волонтера»)."""

import re

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

# What Django's own Ukrainian strings make of a nominative model name.
WRONG = [
    re.compile(r"Виберіть \w+.{0,40}щоб змінити"),
    re.compile(r"Вибрати \w+ для перегляду"),
    re.compile(r"Додати (?!:|ще:|ще один запис)[а-яіїєґʼ]"),
    re.compile(r"<h3>\s*За [а-яіїєґʼ]"),
    re.compile(r"було (?:додано|змінено) успішно"),
]


def admin_pages():
    for model in admin.site._registry:
        opts = model._meta
        for view in ("changelist", "add"):
            try:
                yield reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}")
            except NoReverseMatch:
                continue


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.org", "x")


def wrong_phrases(html):
    return [pattern.pattern for pattern in WRONG if pattern.search(html)]


def test_no_admin_list_or_add_page_puts_a_model_name_into_the_wrong_case(client, superuser):
    client.force_login(superuser)
    problems = {}
    with translation.override("uk"):
        for url in admin_pages():
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="uk")
            if response.status_code != 200:
                continue
            found = wrong_phrases(response.content.decode())
            if found:
                problems[url] = found
    assert problems == {}


def test_the_list_title_and_the_add_button_read_as_ukrainian(client, superuser):
    client.force_login(superuser)

    page = client.get(reverse("admin:volunteers_application_changelist")).content.decode()

    assert "Оберіть, що змінити: анкета волонтера" in page
    assert "Додати: анкета волонтера" in page


def test_the_message_after_adding_names_what_was_added(client, superuser):
    from events.models import Topic

    client.force_login(superuser)
    response = client.post(
        reverse("admin:events_topic_add"),
        {"name": "Краєзнавство для дітей", "slug": "kraieznavstvo-dlia-ditei"},
        follow=True,
    )

    messages = [str(message) for message in response.context["messages"]]
    assert Topic.objects.filter(slug="kraieznavstvo-dlia-ditei").exists()
    assert any(message.startswith("Додано: ") for message in messages), messages


def test_the_admin_scripts_speak_ukrainian_around_our_names(client, superuser):
    # The two-list picker (events' topics and partners) and the action bar: Django's Ukrainian
    # catalogue leaves these in English («Choose all теми»).
    client.force_login(superuser)

    response = client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="uk")
    # The catalogue is JSON inside the script: Cyrillic arrives as \\u escapes.
    catalog = response.content.decode().encode("ascii", "backslashreplace").decode("unicode_escape")

    assert '"Choose all %s": "Обрати всі: %s"' in catalog
    assert '"Remove selected %s": "Прибрати виділені: %s"' in catalog
    assert '"(click to clear)": "(натисніть, щоб очистити)"' in catalog
