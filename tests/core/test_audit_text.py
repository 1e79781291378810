"""The admin history shows states by their labels, in the reader's language: the services
store «Стан: Нова → Звʼязалися» (Ukrainian, the catalogue's source language, whatever language
the staff member worked in), and rows that stored the codes («Стан: new → contacted») read
the same."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from core.audit import audit_text
from tests.volunteers.factories import ApplicationFactory
from volunteers import services

pytestmark = pytest.mark.django_db


def logged(obj, user, message):
    return LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=f"Анкета волонтера № {obj.pk}",
        action_flag=CHANGE,
        change_message=message,
    )


def test_a_row_that_stored_status_codes_shows_their_labels_in_the_history(
    client, django_user_model, branch_a
):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    application = ApplicationFactory(branch=branch_a)
    logged(application, root, "Стан: new → contacted\nПримітка: дзвонила")
    client.force_login(root)

    page = client.get(
        reverse("admin:volunteers_application_history", args=[application.pk])
    ).content.decode()

    assert "Стан: Нова → Звʼязалися" in page
    assert "new → contacted" not in page
    assert "Примітка: дзвонила" in page


def test_a_status_change_made_in_english_is_stored_in_ukrainian_and_read_in_either(
    branch_a, librarian_a
):
    application = ApplicationFactory(branch=branch_a)

    with translation.override("en"):
        services.application_change_status(
            application=application, to="contacted", acting_user=librarian_a
        )
    entry = LogEntry.objects.get(object_id=str(application.pk))

    assert entry.change_message == "Стан: Нова → Звʼязалися"
    with translation.override("uk"):
        assert audit_text(entry) == "Стан: Нова → Звʼязалися"
    with translation.override("en"):
        assert audit_text(entry) == "Status: New → Contacted"


def test_the_admin_s_own_entries_read_as_django_renders_them(branch_a, librarian_a):
    application = ApplicationFactory(branch=branch_a)
    entry = logged(application, librarian_a, '[{"changed": {"fields": ["Телефон"]}}]')

    with translation.override("uk"):
        assert audit_text(entry) == "Змінено: Телефон."
