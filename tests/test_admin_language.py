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

from core.counting import noun_forms

pytestmark = pytest.mark.django_db


def _wrong_counts():
    """«0 анкети волонтерів», «6 акти списання», «21 анкети волонтерів»: a model's nominative
    plural after a number that needs the genitive plural or the singular."""
    patterns = []
    with translation.override("uk"):
        for model in admin.site._registry:
            one, few, many = noun_forms(model._meta)
            if few != many:
                patterns.append(rf"(?<![\d.,])\d*(?:1[0-4]|[05-9]) {re.escape(few)}(?!\w)")
            if not one.startswith(few):
                patterns.append(rf"(?<![\d.,])(?:\d*[02-9])?1 {re.escape(few)}(?!\w)")
    return [re.compile(pattern) for pattern in patterns]


# What Django's own Ukrainian strings make of a nominative model name.
WRONG = [
    re.compile(r"Виберіть \w+.{0,40}щоб змінити"),
    re.compile(r"Вибрати \w+ для перегляду"),
    re.compile(r"Додати (?!:|ще:|ще один запис)[а-яіїєґʼ]"),
    re.compile(r"<h3>\s*За [а-яіїєґʼ]"),
    re.compile(r"було (?:додано|змінено) успішно"),
    # Django's «Успішно видалено 6 анкети волонтерів», «21 обраний», «0 з 6 обрано».
    re.compile(r"Успішно видалено"),
    re.compile(r"\b\d+ обран(?:ий|і)\b"),
    re.compile(r"\d+ з \d+ обрано"),
    # A status code where staff read its label: «new → contacted» in a history row.
    re.compile(r"\b[a-z][a-z_]* → [a-z][a-z_]*\b"),
    *_wrong_counts(),
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
        {"name_uk": "Краєзнавство для дітей", "slug": "kraieznavstvo-dlia-ditei"},
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


@pytest.fixture
def topics():
    from events.models import Topic

    def make(count, name="Тема"):
        return [
            Topic.objects.create(name=f"{name} {n}", slug=f"{name.lower()}-{n}")
            for n in range(count)
        ]

    return make


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, "1 тема"), (3, "3 теми"), (6, "6 тем"), (11, "11 тем"), (21, "21 тема"), (25, "25 тем")],
)
def test_the_list_counts_its_rows_in_ukrainian_grammar(client, superuser, topics, count, expected):
    topics(count)
    client.force_login(superuser)

    page = client.get(reverse("admin:events_topic_changelist")).content.decode()

    assert re.search(rf'<p class="paginator">\s*{expected}\s', page), page[-1500:]
    assert wrong_phrases(page) == []


def test_the_search_counts_what_it_found_and_the_whole_list(client, superuser, topics):
    topics(5, name="Краєзнавство")
    topics(17, name="Історія")
    client.force_login(superuser)

    page = client.get(reverse("admin:events_topic_changelist"), {"q": "Історія"}).content.decode()

    assert "17 тем (<a" in page
    assert "усього 22</a>)" in page
    assert wrong_phrases(page) == []


def test_the_select_all_pages_link_counts_in_ukrainian_grammar(
    client, superuser, topics, monkeypatch
):
    from events.models import Topic

    monkeypatch.setattr(admin.site._registry[Topic], "list_per_page", 10)
    topics(21)
    client.force_login(superuser)

    page = client.get(reverse("admin:events_topic_changelist")).content.decode()

    assert "Вибрати всі: 21 тема" in page
    assert "Вибрано всі: 21 тема" in page
    assert "Вибрано 0 з 10" in page


@pytest.mark.parametrize(("count", "expected"), [(1, "Видалено: 1 тема."), (5, "Видалено: 5 тем.")])
def test_the_message_after_deleting_counts_in_ukrainian_grammar(
    client, superuser, topics, count, expected
):
    from events.models import Topic

    chosen = topics(count)
    client.force_login(superuser)
    url = reverse("admin:events_topic_changelist")
    selected = [topic.pk for topic in chosen]

    confirm = client.post(url, {"action": "delete_selected", "_selected_action": selected})
    response = client.post(
        url,
        {"action": "delete_selected", "_selected_action": selected, "post": "yes"},
        follow=True,
    )

    assert "Видалити вибране (" in confirm.content.decode()
    assert [str(message) for message in response.context["messages"]] == [expected]
    assert not Topic.objects.exists()


def test_the_action_counter_script_says_how_many_are_selected(client, superuser):
    client.force_login(superuser)

    response = client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="uk")
    catalog = response.content.decode().encode("ascii", "backslashreplace").decode("unicode_escape")

    assert '"Вибрано %(sel)s з %(cnt)s"' in catalog


def test_the_group_page_lists_permissions_in_ukrainian(client, superuser):
    from django.contrib.auth.models import Group, Permission

    client.force_login(superuser)
    group = Group.objects.get(name="Бібліотекар")

    page = client.get(reverse("admin:auth_group_change", args=[group.pk])).content.decode()

    assert not Permission.objects.filter(name__startswith="Can ").exists()
    assert "Can add" not in page and "Can view" not in page
    assert "Волонтерство | анкета волонтера | Переглядати" in page
