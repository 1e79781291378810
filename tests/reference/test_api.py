"""The read API of «Запитай бібліотекаря»: only questions published with the reader's consent
and answered, never the reader's name or e-mail."""

import pytest

from reference.models import Question, Topic
from tests.reference.factories import QuestionFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/reference-answers/"


def test_only_published_answers_are_listed_without_the_readers_name_or_address(client, branch_a):
    shown = QuestionFactory(
        branch=branch_a, published=True, name="Олена Ковальчук", email="olena@example.org"
    )
    QuestionFactory(branch=branch_a, text="Нове запитання", name="Петро Шевчук")
    QuestionFactory(
        branch=branch_a,
        status=Question.Status.ANSWERED,
        publish_consent=True,
        answer="Відповідь лише читачеві.",
        text="Відповіли, але не опублікували",
    )
    QuestionFactory(
        branch=branch_a, status=Question.Status.CLOSED, text="Закрите", publish_consent=True
    )

    response = client.get(URL)

    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [shown.pk]
    assert rows[0]["question"] == "Де почитати про історію Луцького замку?"
    assert rows[0]["answer"].startswith("Радимо нарис")
    assert (rows[0]["branch"], rows[0]["topic"]) == ("branch-5", "local_lore")
    content = response.content.decode()
    for private in ("Ковальчук", "olena@", "Шевчук", "Відповідь лише", "Закрите"):
        assert private not in content
    assert "Ковальчук" not in client.get(f"{URL}{shown.pk}/").content.decode()


def test_an_unpublished_question_has_no_address_in_the_api(client, branch_a):
    question = QuestionFactory(branch=branch_a, name="Олена Ковальчук")

    assert client.get(f"{URL}{question.pk}/").status_code == 404


def test_answers_filter_by_library_and_topic(client, branch_a, branch_b):
    QuestionFactory(branch=branch_a, published=True, topic=Topic.E_SERVICES)
    lore = QuestionFactory(branch=branch_b, published=True)

    by_library = client.get(URL, {"branch": "branch-7"}).json()["results"]
    by_topic = client.get(URL, {"topic": "local_lore"}).json()["results"]

    assert [row["id"] for row in by_library] == [lore.pk]
    assert [row["id"] for row in by_topic] == [lore.pk]
    assert client.get(URL, {"topic": "gossip"}).status_code == 400


def test_the_list_runs_a_constant_number_of_queries(client, branch_a, django_assert_num_queries):
    for _ in range(25):
        QuestionFactory(branch=branch_a, published=True)

    # Count, questions with their library.
    with django_assert_num_queries(2):
        response = client.get(URL)
    assert len(response.json()["results"]) == 20
