"""Every admin page a staff member can open reads as Ukrainian, and none of them fails.

Library A gets one object of every model (tests/admin_seed.py). Signed in as each staff role —
the librarian and the branch head of A, the methodologist, the administrator — the walk opens,
for every registered model the role's permissions let it see, the list, the add form, and for
one object it may see, the change form, its history and the delete confirmation (the branch
head and the administrator only the pages an earlier role does not open: `role_pages`). A page must
not answer 500, must not leave English words in what a person reads (text and the titles,
placeholders and labels of controls; scripts, styles and typed data aside) and must not put a
model name into the wrong case (the patterns of tests/test_admin_language.py).
"""

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.db import models

from tests.admin_seed import role_pages, seed_one_of_each
from tests.test_admin_language import wrong_phrases

pytestmark = pytest.mark.django_db

ROLES = ["librarian_a", "branch_head_a", "methodologist", "administrator"]

# Latin words a Ukrainian page may carry: standards, formats and proper names.
ALLOWED = {
    "ISBN",
    "ISSN",
    "UDC",
    "MARC",
    "MARC21",
    "UNIMARC",
    "MARCXML",
    "ISO",
    "URL",
    "CSV",
    "XLSX",
    "JSON",
    "PDF",
    "UTF",
    "CP1251",
    "ID",
    "IP",
    "SMS",
    "Viber",
    "Telegram",
    "Facebook",
    "Instagram",
    "YouTube",
    "Zoom",
    "Google",
    "Wi-Fi",
    "Diia",
    "Mac",
    "ISBN-13",
    "Axes",  # django-axes, the sign-in lockout, by its name
    # Language codes (ISO 639) and the MARC import's formats and encodings.
    "uk",
    "en",
    "ukr",
    "eng",
    "rus",
    "RUSMARC",
    "UTF-8",
    "MARC-8",
    "Windows-1251",
    "iso",
    "mrc",
    "xml",
    # Image formats a scan may come in, and a licence («CC BY 4.0») (digitised documents).
    "JPEG",
    "PNG",
    "TIFF",
    "WebP",
    "CC",
    "BY",
    # Keys named in the help of multiple-choice lists.
    "Ctrl",
    "Cmd",
}
# Known gaps, reported: pages only the administrator opens, made by Django's auth and
# django-axes (permission names Django stores in English, axes' own admin, the password
# forms' help), are checked for server errors only.
LANGUAGE_NOT_CHECKED = (
    "auth.Group ",
    "axes.",
    "accounts.User add",
    "accounts.User change",
)
# Right as they are, though the wrong-case patterns of test_admin_language.py (written for
# model names in Django's phrases) match them: plural accusative is the nominative.
RIGHT_PHRASES = ["Додати примірники"]
READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
SKIPPED_ELEMENTS = {"script", "style", "template", "textarea", "code", "pre"}
ADDRESSES = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail
    r"|(?:https?://|/)[^\s\"'<>]*"  # links and paths
    r"|\b[\w.-]+/[\w./-]+"  # file names in folders (seed/000_….txt)
    r"|\b[\w-]+(?:\.[\w-]+)+\b"  # domain names, dotted codes (events/mail/confirmed)
)
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]|[A-Za-z]{2,}")


class ReadableText(HTMLParser):
    """What a person reads on the page: text outside scripts and styles, and the titles,
    placeholders, labels and alt texts of elements; for buttons, their value."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_ELEMENTS:
            self.skipping += 1
        attrs = dict(attrs)
        self.parts += [value for name, value in attrs.items() if name in READ_ATTRIBUTES and value]
        if tag == "input" and attrs.get("type") in {"submit", "button", "reset"}:
            self.parts.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag in SKIPPED_ELEMENTS and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def english_words(html, *, data=()):
    """Latin-letter words in the readable text of `html`, but for `ALLOWED` ones, addresses
    and the `data` strings (usernames: what people typed, not what the portal says)."""
    parser = ReadableText()
    parser.feed(html)
    text = "\n".join(parser.parts)
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    text = ADDRESSES.sub(" ", text)
    return sorted({word for word in LATIN_WORD.findall(text) if word not in ALLOWED})


@pytest.fixture
def administrator(django_user_model):
    return django_user_model.objects.create_superuser(
        "administrator", "administrator@example.org", "x", first_name="Адміністраторка"
    )


@pytest.fixture
def seeded(branch_a, librarian_a):
    seed_one_of_each(branch=branch_a, staff=librarian_a)


@pytest.fixture(params=ROLES)
def role(request, seeded):
    user = request.getfixturevalue(request.param)
    user.first_name = "Оксана"
    user.save(update_fields=["first_name"])
    return request.param


def typed_latin_data():
    """What people typed that may rightly be Latin: usernames, slugs, codes, and the English
    versions of names and addresses (the `*_en` fields), in every registered model."""
    values = set()
    for model in admin.site._registry:
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if field.name.endswith("_en")
            or field.name in {"username", "code"}
            or isinstance(field, models.SlugField)
        ]
        for row in model._default_manager.values_list(*fields) if fields else []:
            values |= {value for value in row if value}
    return values


def test_every_admin_page_a_role_opens_reads_as_ukrainian(request, client, role):
    staff = request.getfixturevalue(role)
    client.force_login(staff)
    pages = role_pages(request, role)  # makes the earlier roles' accounts: typed data too
    typed = typed_latin_data()
    problems, opened = [], 0
    for url, what in pages:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="uk")
        opened += 1
        if response.status_code >= 500:
            problems.append(f"{what} {url}: {response.status_code}")
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        words = english_words(html, data=typed)
        if what.startswith(LANGUAGE_NOT_CHECKED):
            words = []
        if words:
            problems.append(f"{what} {url}: English {words}")
        for phrase in RIGHT_PHRASES:
            html = html.replace(phrase, "")
        wrong = wrong_phrases(html)
        if wrong:
            problems.append(f"{what} {url}: wrong case {wrong}")
    assert opened > 10, f"{staff} opened only {opened} admin pages"
    assert not problems, "\n".join(problems)


def test_the_walk_notices_an_english_word_and_lets_a_standard_name_pass():
    html = (
        "<main><h1>Записи</h1><p>Select record to change</p><p>ISBN 978-966</p>"
        '<script>var x = "English";</script><a href="/admin/" title="Home">до</a>'
        "<p>Пишіть на help@example.org</p></main>"
    )

    assert english_words(html) == ["Home", "Select", "change", "record", "to"]


def test_a_viewer_reads_an_events_audiences_by_name_without_the_status_controls(
    client, seeded, methodologist
):
    from events.models import Event
    from volunteers.models import DeliveryRequest

    client.force_login(methodologist)
    event = client.get(f"/admin/events/event/{Event.objects.get().pk}/change/").content.decode()
    delivery = DeliveryRequest.objects.get()
    request = client.get(f"/admin/volunteers/deliveryrequest/{delivery.pk}/change/")

    assert "Дорослі" in event
    assert request.status_code == 200
    assert "Телефон" in request.content.decode() or "телефон" in request.content.decode()
    assert "Change status" not in request.content.decode()
    assert "Assign volunteer" not in request.content.decode()


def test_the_inputs_of_a_list_edited_in_place_carry_their_column_name(client, methodologist):
    client.force_login(methodologist)

    page = client.get("/admin/egov/topic/").content.decode()

    assert re.search(r'<input[^>]*name="form-0-position"[^>]*aria-label="Порядок"', page)
