import re
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.retention import personal_data_anonymise
from reference import services, stats
from reference.models import Enquiry, Feedback, Question, add_working_days
from tests.events.factories import EventFactory
from tests.reference.factories import EnquiryFactory, FeedbackFactory, QuestionFactory

pytestmark = pytest.mark.django_db

ASK = "/ask/"


def question_data(branch, **overrides):
    data = {
        "topic": "local_lore",
        "branch": str(branch.pk),
        "text": "Коли збудували Луцький замок?",
        "name": "Олена",
        "email": "olena@example.org",
        "publish_consent": "on",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


# --- the public form ---------------------------------------------------------------------


def test_the_form_promises_an_answer_time_and_a_reader_asks_a_question(client, branch_a):
    page = client.get(ASK).content.decode()
    assert "2 робочих днів" in page

    response = client.post(ASK, question_data(branch_a))

    assert response.status_code == 302 and response.url == reverse("reference:thanks")
    question = Question.objects.get()
    assert question.branch == branch_a and question.status == Question.Status.NEW
    assert question.language == "uk" and question.publish_consent
    assert question.due_at > question.created_at


def test_a_library_page_link_comes_with_that_library_chosen(client, branch_b):
    page = client.get(ASK, {"branch": branch_b.pk}).content.decode()
    assert f'<option value="{branch_b.pk}" selected>' in page
    assert client.get(ASK, {"branch": "9" * 30}).status_code == 200


def test_a_question_without_consent_or_email_is_refused_and_the_text_is_kept(client, branch_a):
    response = client.post(
        ASK, question_data(branch_a, consent="", email="не адреса", text="Моє довге запитання")
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Моє довге запитання" in page
    assert "Без згоди на обробку даних ми не зможемо відповісти." in page
    assert "Перевірте адресу е-пошти." in page
    assert not Question.objects.exists()


def test_a_bot_filling_the_honeypot_sees_thanks_and_nothing_is_saved(client, branch_a):
    response = client.post(ASK, question_data(branch_a, website="http://spam.example"))
    assert response.status_code == 302
    assert not Question.objects.exists()


def test_after_five_questions_an_address_waits_and_keeps_its_text(client, branch_a):
    for _ in range(5):
        client.post(ASK, question_data(branch_a))
    response = client.post(ASK, question_data(branch_a, text="Шосте запитання"))
    assert response.status_code == 429
    assert "Шосте запитання" in response.content.decode()
    assert Question.objects.count() == 5


def test_the_answer_is_promised_in_working_days_so_a_weekend_does_not_count():
    friday = timezone.make_aware(timezone.datetime(2026, 12, 4, 15))
    assert add_working_days(friday, 2).date() == timezone.datetime(2026, 12, 8).date()


# --- answering -----------------------------------------------------------------------------


def test_the_answer_is_mailed_in_the_readers_language_and_published_with_consent(
    branch_a, librarian_a, django_capture_on_commit_callbacks, eager_celery
):
    question = QuestionFactory(branch=branch_a, language="en", publish_consent=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.question_answer(
            question=question, text="The castle was built in the 14th century.",
            acting_user=librarian_a, publish=True,
        )  # fmt: skip

    question.refresh_from_db()
    assert question.status == Question.Status.PUBLISHED
    assert question.answered_by == librarian_a
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [question.email]
    assert "answer" in message.subject.lower()
    assert "14th century" in message.body and "/en/ask/answers/" in message.body
    # Both moves are in the history, by number, never by the reader's name.
    entries = LogEntry.objects.filter(object_id=str(question.pk))
    assert entries.count() == 2
    assert all(question.name not in entry.object_repr for entry in entries)


def test_a_question_without_publication_consent_cannot_be_published(branch_a, librarian_a):
    question = QuestionFactory(branch=branch_a, publish_consent=False)
    with pytest.raises(ValidationError):
        services.question_answer(
            question=question, text="Відповідь", acting_user=librarian_a, publish=True
        )
    services.question_answer(
        question=question, text="Відповідь", acting_user=librarian_a, publish=False
    )
    with pytest.raises(ValidationError):
        services.question_change_status(
            question=question, to=Question.Status.PUBLISHED, acting_user=librarian_a
        )


def test_a_closed_question_cannot_be_answered(branch_a, librarian_a):
    question = QuestionFactory(branch=branch_a)
    services.question_change_status(
        question=question, to=Question.Status.CLOSED, acting_user=librarian_a
    )
    with pytest.raises(ValidationError):
        services.question_answer(
            question=question, text="Запізно", acting_user=librarian_a, publish=False
        )


def test_the_librarian_answers_from_the_admin_and_overdue_questions_stand_out(
    client, branch_a, librarian_a, django_capture_on_commit_callbacks, eager_celery
):
    late = QuestionFactory(branch=branch_a, due_at=timezone.now() - timedelta(hours=1))
    client.force_login(librarian_a)
    changelist = client.get(reverse("admin:reference_question_changelist")).content.decode()
    assert "прострочено" in changelist

    url = reverse("admin:reference_question_change", args=[late.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"reply": "Замок збудовано в XIV столітті.", "change_status": "", "status_note": ""},
        )
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.status == Question.Status.ANSWERED
    assert mail.outbox[0].to == [late.email]


# --- scoping -------------------------------------------------------------------------------


def test_staff_of_another_library_see_no_question_of_this_one_by_any_route(
    client, branch_a, librarian_b
):
    question = QuestionFactory(branch=branch_a, name="Ярина Далека", email="yaryna@example.org")
    client.force_login(librarian_b)
    changelist = client.get(reverse("admin:reference_question_changelist"), {"q": "замку"})
    assert changelist.status_code == 200
    assert "yaryna@example.org" not in changelist.content.decode()
    for name in ("change", "history", "delete"):
        url = reverse(f"admin:reference_question_{name}", args=[question.pk])
        response = client.get(url)
        assert response.status_code in (302, 403, 404)
        assert "Ярина Далека" not in response.content.decode()
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "reference", "model_name": "question", "field_name": "id", "term": ""},
    )
    assert autocomplete.status_code == 403
    posted = client.post(
        reverse("admin:reference_question_changelist"),
        {"action": "delete_selected", "_selected_action": [question.pk]},
    )
    assert posted.status_code in (200, 302)
    assert Question.objects.filter(pk=question.pk).exists()


def test_a_librarian_logs_an_enquiry_in_one_post_under_their_own_library(
    client, branch_a, librarian_a
):
    client.force_login(librarian_a)
    form = client.get(reverse("admin:reference_enquiry_add")).content.decode()
    assert re.search(r'value="thematic"[^>]*checked', form)
    assert re.search(r'value="in_person"[^>]*checked', form)

    response = client.post(
        reverse("admin:reference_enquiry_add"),
        {
            "topic": "Історія Луцького замку",
            "kind": "thematic",
            "channel": "phone",
            "date": timezone.localdate().strftime("%d.%m.%Y"),
            "branch": branch_a.pk,
            "_addanother": "1",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    enquiry = Enquiry.objects.get()
    assert enquiry.branch == branch_a and enquiry.logged_by == librarian_a


# --- the published list ------------------------------------------------------------------


def test_published_answers_are_searchable_in_any_word_form_without_personal_data(
    client, branch_a, branch_b, django_assert_num_queries
):
    QuestionFactory(branch=branch_a, published=True, name="Ярина Далека")
    QuestionFactory(
        branch=branch_b, published=True, text="Які поети народилися на Волині?", answer="Леся."
    )
    QuestionFactory(branch=branch_a, text="Неопубліковане запитання")
    url = reverse("reference:answers")

    # The count, the page (with its libraries) and the footer's central library.
    with django_assert_num_queries(3):
        page = client.get(url).content.decode()
    assert "Луцького замку" in page and "поети" in page
    assert "Неопубліковане" not in page and "Ярина" not in page

    for _ in range(25):
        QuestionFactory(branch=branch_a, published=True)
    with django_assert_num_queries(2):  # the footer is cached from the page before
        assert client.get(url, {"page": "2"}).status_code == 200

    found = client.get(url, {"q": "замок"}).content.decode()
    assert "Луцького замку" in found and "поети" not in found
    assert client.get(url, {"q": "\x00" * 3, "page": "9" * 30}).status_code == 200


# --- feedback ------------------------------------------------------------------------------


def test_a_reader_rates_an_event_once_it_is_held(client, branch_a):
    past = EventFactory(
        branch=branch_a,
        starts_at=timezone.now() - timedelta(days=1, hours=2),
        ends_at=timezone.now() - timedelta(days=1),
    )
    coming = EventFactory(branch=branch_a)
    assert client.get(reverse("reference:feedback", args=["event", coming.pk])).status_code == 404
    assert f"/ask/feedback/event/{past.pk}/" in client.get(past.get_absolute_url()).content.decode()

    url = reverse("reference:feedback", args=["event", past.pk])
    bad = client.post(url, {"rating": "9", "comment": "Чудово"})
    assert bad.status_code == 400 and "Чудово" in bad.content.decode()
    assert client.post(url, {"rating": "4", "comment": "Цікаво"}).status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.branch, feedback.rating, feedback.subject) == (branch_a, 4, past.title)


def test_feedback_about_something_unknown_is_not_found(client, branch_a):
    for kind, object_id in (("visit", 99999), ("party", branch_a.pk), ("visit", 2**40)):
        assert client.get(f"/ask/feedback/{kind}/{object_id}/").status_code == 404


# --- stats and retention ------------------------------------------------------------------


def test_enquiries_count_the_log_and_the_answered_online_questions(branch_a, branch_b):
    year = timezone.localdate().year
    EnquiryFactory.create_batch(3, branch=branch_a)
    EnquiryFactory(branch=branch_b, date=timezone.localdate().replace(year=year - 1))
    QuestionFactory(branch=branch_a, published=True)
    QuestionFactory(branch=branch_a)  # not answered yet
    FeedbackFactory(branch=branch_a, rating=5)
    FeedbackFactory(branch=branch_a, rating=4)
    FeedbackFactory(branch=branch_b, rating=3)

    assert stats.enquiries(years=[year]) == {(branch_a.pk, year): 4}
    assert stats.enquiries(years=[year - 1], branch_ids=[branch_b.pk]) == {
        (branch_b.pk, year - 1): 1
    }
    averages = stats.feedback_avg(years=[year])
    assert averages[(branch_a.pk, year)] == 4.5 and averages[(None, year)] == 4
    assert all(indicator.counts for indicator in stats.COMPUTED.values())


def test_names_and_addresses_of_answered_questions_are_forgotten_after_retention(
    branch_a, librarian_a
):
    old = QuestionFactory(branch=branch_a, published=True, name="Ярина", email="y@example.org")
    Question.objects.filter(pk=old.pk).update(
        status_changed_at=timezone.now() - timedelta(days=9999)
    )
    waiting = QuestionFactory(branch=branch_a)

    results = {r.shredder.name: r for r in personal_data_anonymise()}

    assert results["reference.questions"].count == 1
    old.refresh_from_db()
    waiting.refresh_from_db()
    assert (old.name, old.email) == ("", "") and old.answer
    assert waiting.email


def test_the_6nk_enquiries_row_counts_the_log_where_a_library_keeps_it_and_else_the_typed_figure(
    client, methodologist, branch_a, branch_b
):
    from datetime import date

    from tests.strategy.factories import manual_value

    EnquiryFactory.create_batch(3, branch=branch_a, date=date(2024, 3, 1))
    QuestionFactory(
        branch=branch_a,
        published=True,
        answered_at=timezone.make_aware(timezone.datetime(2024, 5, 1, 12)),
    )
    manual_value("nk.enquiries", branch_a, 2024, 999)  # superseded by the log
    manual_value("nk.enquiries", branch_b, 2024, 45)  # no log: the typed figure stays
    client.force_login(methodologist)

    def row_29(**params):
        response = client.get("/strategy/reports/", {"year": 2024, **params})
        for section in response.context["sections"]:
            for line in section.lines:
                if line.number == 29:
                    return line
        raise AssertionError("no row 29")

    assert row_29(library=branch_a.slug).value == 4
    assert "журналу довідок" in row_29(library=branch_a.slug).origin
    assert row_29(library=branch_b.slug).value == 45
    assert row_29().value == 4 + 45


def test_the_demo_gives_published_answers_a_waiting_question_and_enquiries(client, network):
    import random

    from reference import demo

    made = demo.seed(rng=random.Random(7), counts={"reference": 20})
    assert made > 20 and demo.seed(rng=random.Random(7)) == 0
    assert Question.objects.published().exists() and Question.objects.filter(status="new")
    assert "Луцьку" in client.get(reverse("reference:answers"), {"q": "Луцьк"}).content.decode()
