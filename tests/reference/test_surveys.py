"""Readers' short surveys («Голос читача»): a library or the network asks a few questions,
readers answer anonymously once per browser, staff read the results of their own library."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reference import services, stats
from reference.models import Survey, SurveyAnswer, SurveyChoice, SurveyQuestion, SurveyResponse
from tests.events.factories import EventFactory
from tests.reference.factories import SurveyFactory, SurveyQuestionFactory, survey_with_questions

pytestmark = pytest.mark.django_db

LIST = "/ask/surveys/"


def questions_of(survey):
    scale, one, several, text = survey.questions.order_by("position", "pk")
    return scale, one, several, text


def answers_post(survey, **overrides):
    scale, one, several, text = questions_of(survey)
    data = {
        f"q{scale.pk}": "4",
        f"q{one.pk}": str(one.choices.get(text="Щомісяця").pk),
        f"q{several.pk}": [str(choice.pk) for choice in several.choices.all()[:2]],
        f"q{text.pk}": "Більше тиші в читальній залі",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- answering -----------------------------------------------------------------------------


def test_a_reader_answers_a_librarys_survey_anonymously_and_only_once_per_browser(client, branch_a):
    survey = survey_with_questions(branch=branch_a)
    url = survey.get_absolute_url()
    page = client.get(url).content.decode()
    assert "Як вам наша бібліотека?" in page and "Наскільки вам зручно" in page
    assert "ні імені, ні контактів" in page

    response = client.post(url, answers_post(survey))

    assert response.status_code == 302
    assert response.url == reverse("reference:survey_thanks", args=[survey.pk])
    answer = SurveyResponse.objects.get()
    assert answer.branch == branch_a
    rows = SurveyAnswer.objects.filter(response=answer)
    assert sorted(filter(None, rows.values_list("scale", flat=True))) == [4]
    assert rows.filter(choice__isnull=False).count() == 3  # one + two of several
    assert rows.get(text__gt="").text == "Більше тиші в читальній залі"
    assert "Дякуємо за відповіді" in client.get(response.url).content.decode()

    again = client.get(url).content.decode()
    assert "Ви вже відповіли на це опитування" in again and "<form" not in again.split("<main")[-1]
    assert client.post(url, answers_post(survey)).status_code == 409
    assert SurveyResponse.objects.count() == 1
    assert "Ви вже відповіли, дякуємо!" in client.get(LIST).content.decode()


def test_a_missing_required_answer_is_asked_for_in_ukrainian_and_what_was_typed_stays(
    client, branch_a
):
    survey = survey_with_questions(branch=branch_a)
    scale, one, several, text = questions_of(survey)

    response = client.post(
        survey.get_absolute_url(), answers_post(survey, **{f"q{scale.pk}": None})
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Форму не надіслано" in page and "Оберіть оцінку від 1 до 5." in page
    assert "Більше тиші в читальній залі" in page
    chosen = one.choices.get(text="Щомісяця").pk
    assert re.search(rf'value="{chosen}" id="id_q{one.pk}_1"[^>]*checked', page)
    assert not SurveyResponse.objects.exists()


def test_an_optional_question_may_be_left_empty(client, branch_a):
    survey = survey_with_questions(branch=branch_a)
    *_, text = questions_of(survey)
    response = client.post(survey.get_absolute_url(), answers_post(survey, **{f"q{text.pk}": ""}))
    assert response.status_code == 302
    assert not SurveyAnswer.objects.filter(question=text).exists()


@pytest.mark.parametrize(
    "field, value",
    [
        ("scale", "9"),
        ("scale", "\x00"),
        ("one", "99999999999999999999"),
        ("one", "abc"),
        ("several", ["1", "x"]),
        ("text", "\x00тиша"),
        ("text", "я" * 1001),
    ],
)
def test_odd_answers_get_a_message_never_a_server_error(client, branch_a, field, value):
    survey = survey_with_questions(branch=branch_a)
    question = dict(zip(("scale", "one", "several", "text"), questions_of(survey), strict=True))[
        field
    ]
    response = client.post(
        survey.get_absolute_url(), answers_post(survey, **{f"q{question.pk}": value})
    )
    assert response.status_code == 400
    assert 'class="errors"' in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_a_bot_filling_the_honeypot_sees_thanks_and_nothing_is_saved(client, branch_a):
    survey = survey_with_questions(branch=branch_a)
    response = client.post(survey.get_absolute_url(), answers_post(survey, website="http://x"))
    assert response.status_code == 302 and not SurveyResponse.objects.exists()


def test_drafts_are_not_found_and_closed_or_ended_surveys_say_so(client, branch_a):
    draft = survey_with_questions(branch=branch_a, status=Survey.Status.DRAFT)
    closed = survey_with_questions(branch=branch_a, status=Survey.Status.CLOSED)
    ended = survey_with_questions(
        branch=branch_a, closes_on=timezone.localdate() - timedelta(days=1)
    )
    later = survey_with_questions(branch=branch_a, opens_on=timezone.localdate() + timedelta(1))
    assert client.get(draft.get_absolute_url()).status_code == 404
    for survey in (closed, ended, later):
        page = client.get(survey.get_absolute_url()).content.decode()
        assert "Опитування завершено" in page
        assert client.post(survey.get_absolute_url(), answers_post(survey)).status_code == 200
    assert not SurveyResponse.objects.exists()
    assert client.get(LIST).content.decode().count('class="card"') == 0
    assert client.get("/ask/surveys/99999999999999/").status_code == 404


def test_a_survey_closed_while_a_reader_fills_it_in_refuses_the_answers(branch_a):
    survey = survey_with_questions(branch=branch_a)
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED)
    with pytest.raises(services.SurveyUnavailable):
        services.survey_response_create(survey=survey, answers={}, branch=None)


def test_a_network_survey_asks_which_library_and_counts_the_answer_for_it(
    client, branch_a, branch_b
):
    survey = survey_with_questions()
    page = client.get(survey.get_absolute_url()).content.decode()
    assert "Бібліотека, яку ви відвідуєте" in page and "Опитування всіх бібліотек мережі" in page

    client.post(survey.get_absolute_url(), answers_post(survey, library=str(branch_b.pk)))

    assert SurveyResponse.objects.get().branch == branch_b
    # Naming a library is not required.
    other = survey_with_questions()
    assert client.post(other.get_absolute_url(), answers_post(other)).status_code == 302
    assert SurveyResponse.objects.get(survey=other).branch is None


def test_the_list_and_the_form_cost_the_same_queries_however_many_surveys(
    client, branch_a, branch_b, django_assert_num_queries
):
    survey = survey_with_questions(branch=branch_a)
    survey_with_questions()
    client.get(LIST)  # the footer, the same on every page, is cached from here on
    # The surveys (with their libraries).
    with django_assert_num_queries(1):
        assert client.get(LIST).status_code == 200
    for _ in range(5):
        survey_with_questions(branch=branch_b)
    with django_assert_num_queries(1):
        assert client.get(LIST).status_code == 200
    # The survey, its questions and their variants.
    with django_assert_num_queries(3):
        assert client.get(survey.get_absolute_url()).status_code == 200
    for n in range(4):
        extra = SurveyQuestionFactory(survey=survey, kind=SurveyQuestion.Kind.ONE, text=f"№{n}")
        SurveyChoice.objects.create(question=extra, text="Так")
        SurveyChoice.objects.create(question=extra, text="Ні")
    with django_assert_num_queries(3):
        assert client.get(survey.get_absolute_url()).status_code == 200


def test_survey_texts_have_english_versions_under_en(client, branch_a):
    survey = survey_with_questions(branch=branch_a, title_en="How do you like our library?")
    scale = questions_of(survey)[0]
    scale.text_en = "How comfortable are you in the library?"
    scale.save()
    page = client.get(f"/en{survey.get_absolute_url()}").content.decode()
    assert "How do you like our library?" in page
    assert "How comfortable are you in the library?" in page
    # The rest has no English yet: shown in Ukrainian, marked as such.
    assert '<span lang="uk">Як часто ви приходите?</span>' in page
    assert "Send answers" in page


# --- links from the event page and the feedback thanks ---------------------------------------


def test_a_held_events_page_links_the_survey_made_for_it(client, branch_a):
    past = EventFactory(
        branch=branch_a,
        starts_at=timezone.now() - timedelta(days=1, hours=2),
        ends_at=timezone.now() - timedelta(days=1),
    )
    other_event = EventFactory(branch=branch_a)
    survey_with_questions(branch=branch_a, event=other_event, title="Про інший захід")
    assert "Опитування:" not in client.get(past.get_absolute_url()).content.decode()

    survey = survey_with_questions(branch=branch_a, event=past, title="Як вам зустріч?")
    page = client.get(past.get_absolute_url()).content.decode()
    assert f'href="{survey.get_absolute_url()}"' in page and "Про інший захід" not in page


def test_the_feedback_thanks_offers_the_librarys_open_survey(client, branch_a, branch_b):
    survey = survey_with_questions(branch=branch_a, title="Розклад роботи бібліотеки")
    survey_with_questions(branch=branch_b, title="Чужа бібліотека")
    url = reverse("reference:feedback", args=["visit", branch_a.pk])

    response = client.post(url, {"rating": "5", "comment": ""}, follow=True)

    page = response.content.decode()
    assert "Дякуємо за відгук" in page and f'href="{survey.get_absolute_url()}"' in page
    assert "Чужа бібліотека" not in page
    assert client.get("/ask/feedback/thanks/?library=" + "9" * 40).status_code == 200


# --- the workflow ------------------------------------------------------------------------------


def test_a_survey_opens_only_with_questions_whose_variants_are_there_and_it_is_logged(
    branch_a, librarian_a
):
    survey = SurveyFactory(branch=branch_a, status=Survey.Status.DRAFT)
    with pytest.raises(ValidationError, match="хоча б одне запитання"):
        services.survey_transition(survey=survey, to="open", acting_user=librarian_a)
    question = SurveyQuestionFactory(survey=survey, kind=SurveyQuestion.Kind.ONE, text="Коли?")
    SurveyChoice.objects.create(question=question, text="Зранку")
    with pytest.raises(ValidationError, match="щонайменше два варіанти"):
        services.survey_transition(survey=survey, to="open", acting_user=librarian_a)
    SurveyChoice.objects.create(question=question, text="Увечері")

    services.survey_transition(survey=survey, to="open", acting_user=librarian_a)

    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN
    entry = LogEntry.objects.get(object_id=str(survey.pk))
    assert entry.user == librarian_a and "Триває" in entry.change_message


def test_an_answered_survey_never_goes_back_to_a_draft_but_an_unanswered_one_may(
    branch_a, librarian_a
):
    survey = survey_with_questions(branch=branch_a)
    services.survey_transition(survey=survey, to="draft", acting_user=librarian_a)
    services.survey_transition(survey=survey, to="open", acting_user=librarian_a)
    services.survey_response_create(survey=survey, answers={}, branch=None)
    with pytest.raises(ValidationError, match="не можна повернути в чернетку"):
        services.survey_transition(survey=survey, to="draft", acting_user=librarian_a)
    services.survey_transition(survey=survey, to="closed", acting_user=librarian_a)
    with pytest.raises(ValidationError, match="не можна перевести"):
        services.survey_transition(survey=survey, to="draft", acting_user=librarian_a)


# --- results ------------------------------------------------------------------------------


def answer(survey, *, scale, one, several=(), text="", branch=None):
    q_scale, q_one, q_several, q_text = questions_of(survey)
    return services.survey_response_create(
        survey=survey,
        answers={
            q_scale: scale,
            q_one: q_one.choices.get(text=one),
            q_several: [q_several.choices.get(text=t) for t in several],
            q_text: text,
        },
        branch=branch,
    )


def test_results_give_counts_shares_the_average_and_the_texts(branch_a):
    survey = survey_with_questions(branch=branch_a)
    answer(survey, scale=5, one="Щотижня", several=["Тиші"], text="Більше пуфів")
    answer(survey, scale=4, one="Щотижня", several=["Тиші", "Нових книжок"])
    answer(survey, scale=3, one="Рідше")
    answer(survey, scale=4, one="Щомісяця", several=["Заходів увечері"], text="Кава")

    results = survey.results()

    assert results["total"] == 4
    scale, one, several, text = results["questions"]
    assert scale["average"] == 4.0 and scale["respondents"] == 4
    assert [(line["label"], line["count"]) for line in scale["lines"]][2:] == [
        ("3", 1),
        ("4", 2),
        ("5", 1),
    ]
    assert [(line["label"], line["count"], line["share"]) for line in one["lines"]] == [
        ("Щотижня", 2, 50.0),
        ("Щомісяця", 1, 25.0),
        ("Рідше", 1, 25.0),
    ]
    # Of the three who chose something, two wanted quiet.
    assert several["respondents"] == 3
    assert several["lines"][1] == {"label": "Тиші", "count": 2, "share": 66.7}
    assert text["texts"] == ["Більше пуфів", "Кава"] and text["lines"] == []


def test_a_librarian_writes_a_survey_in_the_admin_opens_it_and_reads_the_results(
    client, branch_a, librarian_a
):
    client.force_login(librarian_a)
    add = reverse("admin:reference_survey_add")
    assert client.get(add).status_code == 200
    response = client.post(
        add,
        {
            "title_uk": "Розклад роботи",
            "title_en": "",
            "intro_uk": "",
            "intro_en": "",
            "branch": branch_a.pk,
            "event": "",
            "opens_on": "",
            "closes_on": "",
            "questions-TOTAL_FORMS": "1",
            "questions-INITIAL_FORMS": "0",
            "questions-MIN_NUM_FORMS": "0",
            "questions-MAX_NUM_FORMS": "1000",
            "questions-0-position": "1",
            "questions-0-kind": "scale",
            "questions-0-text_uk": "Чи зручний розклад?",
            "questions-0-text_en": "",
            "questions-0-required": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    survey = Survey.objects.get()
    assert survey.branch == branch_a and survey.status == Survey.Status.DRAFT
    assert survey.questions.get().text == "Чи зручний розклад?"

    changelist = reverse("admin:reference_survey_changelist")
    client.post(changelist, {"action": "open_surveys", "_selected_action": [survey.pk]})
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN

    services.survey_response_create(survey=survey, answers={survey.questions.get(): 2}, branch=None)
    results = client.get(reverse("admin:reference_survey_results", args=[survey.pk]))
    page = results.content.decode()
    assert results.status_code == 200
    assert "1 відповідь" in page and "середня оцінка 2.0 з 5" in page.replace(",", ".")
    assert "<table>" in page and '<th scope="row">2</th><td class="number">1</td>' in page


def test_once_open_the_questions_are_frozen_and_the_admin_says_so(client, branch_a, librarian_a):
    survey = survey_with_questions(branch=branch_a)
    question = questions_of(survey)[0]
    client.force_login(librarian_a)

    page = client.get(reverse("admin:reference_survey_change", args=[survey.pk])).content.decode()
    assert "Запитання можна змінювати лише в чернетці" in page
    assert 'name="questions-0-text_uk"' not in page

    url = reverse("admin:reference_surveyquestion_change", args=[question.pk])
    frozen = client.get(url)
    assert "Запитання можна змінювати лише в чернетці" in frozen.content.decode()
    assert client.post(url, {"text_uk": "Інше запитання", "kind": "text"}).status_code == 403
    question.refresh_from_db()
    assert question.text == "Наскільки вам зручно в бібліотеці?"


def test_results_export_as_csv_and_xlsx_with_text_answers_kept_as_text(
    client, branch_a, librarian_a
):
    survey = survey_with_questions(branch=branch_a)
    answer(survey, scale=5, one="Щотижня", text="=HYPERLINK(1)")
    client.force_login(librarian_a)
    url = reverse("admin:reference_survey_results", args=[survey.pk])

    rows = list(
        csv.reader(io.StringIO(client.get(url, {"format": "csv"}).content.decode()), delimiter=";")
    )
    assert rows[0] == ["\ufeffЗапитання", "Відповідь", "Кількість", "%"]
    assert ["Як часто ви приходите?", "Щотижня", "1", "100.0"] in rows
    assert ["Що б ви змінили?", "'=HYPERLINK(1)", "", ""] in rows

    workbook = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    values = [[cell.value for cell in row] for row in workbook.active.iter_rows()]
    assert ["Як часто ви приходите?", "Щотижня", 1, 100] in values


# --- scoping ------------------------------------------------------------------------------


def test_staff_of_another_library_see_neither_the_survey_nor_its_answers(
    client, branch_a, librarian_b
):
    survey = survey_with_questions(branch=branch_a, title="Опитування філії А")
    answer(survey, scale=5, one="Щотижня", text="Таємна думка читача")
    client.force_login(librarian_b)
    changelist = client.get(reverse("admin:reference_survey_changelist")).content.decode()
    assert "Опитування філії А" not in changelist
    for url in (
        reverse("admin:reference_survey_change", args=[survey.pk]),
        reverse("admin:reference_survey_results", args=[survey.pk]),
        reverse("admin:reference_survey_results", args=[survey.pk]) + "?format=csv",
        reverse("admin:reference_surveyquestion_change", args=[questions_of(survey)[0].pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403, 404)
        assert "Таємна думка" not in response.content.decode()


def test_a_methodologist_sees_every_survey_and_a_network_surveys_results_per_library(
    client, branch_a, branch_b, methodologist
):
    survey = survey_with_questions()
    answer(survey, scale=5, one="Щотижня", branch=branch_a, text="Від читача А")
    answer(survey, scale=1, one="Рідше", branch=branch_b, text="Від читача Б")
    survey_with_questions(branch=branch_b, title="Опитування філії Б")
    client.force_login(methodologist)
    changelist = client.get(reverse("admin:reference_survey_changelist")).content.decode()
    assert "Опитування філії Б" in changelist

    url = reverse("admin:reference_survey_results", args=[survey.pk])
    everyone = client.get(url).content.decode()
    assert "Від читача А" in everyone and "Від читача Б" in everyone
    only_a = client.get(url, {"branch": branch_a.pk}).content.decode()
    assert "Від читача А" in only_a and "Від читача Б" not in only_a
    assert client.get(url, {"branch": "x" * 50}).status_code == 200


# --- the indicator and the demo ---------------------------------------------------------------


def test_survey_answers_count_per_library_and_for_the_network(branch_a, branch_b):
    library = survey_with_questions(branch=branch_a)
    network = survey_with_questions()
    answer(library, scale=5, one="Щотижня")
    answer(network, scale=5, one="Щотижня", branch=branch_b)
    answer(network, scale=5, one="Щотижня")
    year = timezone.localdate().year

    counts = stats.survey_answers(years=[year])

    assert counts[(branch_a.pk, year)] == 1 and counts[(branch_b.pk, year)] == 1
    assert counts[(None, year)] == 3
    assert stats.survey_answers(years=[year], branch_ids=[branch_a.pk]) == {
        (branch_a.pk, year): 1,
        (None, year): 1,
    }
    assert "опитування" in str(stats.COMPUTED["reference.survey_answers"].counts)


def test_the_demo_has_a_network_and_a_library_survey_with_answers(network):
    import random

    from reference.demo import seed

    seed(rng=random.Random(7), counts={"reference": 5})

    surveys = Survey.objects.filter(is_demo=True).order_by("pk")
    assert [survey.branch_id is None for survey in surveys] == [True, False]
    assert all(survey.is_open() for survey in surveys)
    assert all(survey.responses.count() >= 12 for survey in surveys)
    assert surveys[0].title_en == "What should the library of your dreams be like?"


def test_a_demo_seeded_before_surveys_existed_gets_its_surveys_once(network):
    import random

    from reference.demo import seed
    from reference.models import Question

    seed(rng=random.Random(7), counts={"reference": 5})
    questions = Question.objects.count()
    Survey.objects.filter(is_demo=True).delete()

    assert seed(rng=random.Random(7)) > 0
    assert Survey.objects.filter(is_demo=True).count() == 2
    assert Question.objects.count() == questions
    assert seed(rng=random.Random(7)) == 0


def test_the_feedback_list_gives_the_average_mark_per_library_to_a_methodologist(
    client, branch_a, branch_b, methodologist
):
    from tests.reference.factories import FeedbackFactory

    FeedbackFactory(branch=branch_a, rating=5)
    FeedbackFactory(branch=branch_a, rating=4)
    FeedbackFactory(branch=branch_b, rating=2)
    client.force_login(methodologist)
    page = client.get(reverse("admin:reference_feedback_changelist")).content.decode()
    assert "За бібліотеками:" in page
    assert f"{branch_a.name} — 4.5 (2)" in page.replace(",", ".")
    assert f"{branch_b.name} — 2.0 (1)" in page.replace(",", ".")
