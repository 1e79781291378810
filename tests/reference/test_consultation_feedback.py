"""Feedback after an e-services consultation: when staff mark that the citizen came, the
citizen gets a mail with a link to a short feedback form — one feedback per booking, by the
link's secret token, no sign-in — and the marks join the library's feedback results."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.retention import personal_data_anonymise
from core.secret_links import PRIVATE_HEADERS
from egov import services as egov_services
from egov.models import Slot
from reference import stats
from reference.models import Feedback
from tests.egov.factories import BookingFactory, SlotFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"(/(?:en/)?ask/feedback/consultation/[A-Za-z0-9_-]+/)")


@pytest.fixture
def came(branch_a, librarian_a, django_capture_on_commit_callbacks, eager_celery):
    """A citizen who booked a Diia consultation at library A, came, and got the mail."""
    slot = SlotFactory(
        branch=branch_a,
        starts_at=timezone.now() - timedelta(hours=2),
        ends_at=timezone.now() - timedelta(hours=1),
    )
    booking = BookingFactory(slot=slot)
    with django_capture_on_commit_callbacks(execute=True):
        egov_services.booking_mark(booking=booking, status="attended", acting_user=librarian_a)
    booking.refresh_from_db()
    return booking


def link_in(message):
    return LINK.search(message.body).group(1)


def test_a_citizen_who_came_gets_one_mail_with_the_feedback_link(came, librarian_a):
    message = mail.outbox[-1]
    assert message.to == ["petro@example.org"]
    assert "Як пройшла консультація" in message.subject
    assert link_in(message) == f"/ask/feedback/consultation/{came.feedback_token}/"

    # Marked again (a slip, then corrected): no second mail.
    egov_services.booking_mark(booking=came, status="no_show", acting_user=librarian_a)
    egov_services.booking_mark(booking=came, status="attended", acting_user=librarian_a)
    assert len([m for m in mail.outbox if "Як пройшла" in m.subject]) == 1


def test_no_feedback_mail_for_a_no_show_or_a_booking_without_email(
    branch_a, librarian_a, django_capture_on_commit_callbacks, eager_celery
):
    no_show = BookingFactory(slot=SlotFactory(branch=branch_a))
    by_phone = BookingFactory(slot=SlotFactory(branch=branch_a), email="", phone="+380501112233")
    with django_capture_on_commit_callbacks(execute=True):
        egov_services.booking_mark(booking=no_show, status="no_show", acting_user=librarian_a)
        egov_services.booking_mark(booking=by_phone, status="attended", acting_user=librarian_a)
    assert mail.outbox == []
    by_phone.refresh_from_db()
    assert by_phone.feedback_token is None


def test_the_citizen_rates_the_consultation_once_and_it_counts_for_the_library(
    client, came, branch_a
):
    link = link_in(mail.outbox[-1])
    page = client.get(link)
    assert page.status_code == 200
    for header, value in PRIVATE_HEADERS.items():
        assert page[header] == value
    assert "Консультація з електронних послуг" in page.content.decode()

    response = client.post(link, {"rating": "4", "comment": "Допомогли з Дією", "website": ""})

    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.kind == Feedback.Kind.CONSULTATION and feedback.branch == branch_a
    assert feedback.rating == 4 and feedback.subject == "Допомога з Дією"
    # Not linked to the person: the library's id, as for a visit.
    assert feedback.object_id == branch_a.pk
    year = timezone.localdate(feedback.created_at).year
    assert stats.feedback_avg(years=[year])[(branch_a.pk, year)] == 4

    again = client.get(link)
    assert "вже надіслано" in again.content.decode()
    second = client.post(link, {"rating": "1", "comment": "", "website": ""})
    assert second.status_code in (200, 409)
    assert Feedback.objects.count() == 1


def test_two_posts_of_the_same_link_give_one_feedback(came):
    """The booking row is claimed under a lock: the second claim is refused."""
    egov_services.booking_feedback_claim(token=came.feedback_token)
    with pytest.raises(egov_services.FeedbackUnavailable):
        egov_services.booking_feedback_claim(token=came.feedback_token)


def test_the_english_mail_links_to_the_english_form(
    branch_a, librarian_a, client, django_capture_on_commit_callbacks, eager_celery
):
    booking = BookingFactory(slot=SlotFactory(branch=branch_a), language="en")
    with django_capture_on_commit_callbacks(execute=True):
        egov_services.booking_mark(booking=booking, status="attended", acting_user=librarian_a)
    message = mail.outbox[-1]
    assert "consultation" in message.subject.lower()
    link = link_in(message)
    assert link.startswith("/en/ask/feedback/consultation/")
    assert "E-services consultation" in client.get(link).content.decode()


def test_a_mistaken_form_keeps_the_comment_and_invalid_marks_are_refused(client, came):
    link = link_in(mail.outbox[-1])
    for rating in ["", "6", "0", "9" * 40, "4\x00"]:
        response = client.post(link, {"rating": rating, "comment": "Мій коментар", "website": ""})
        assert response.status_code == 400
        assert "Мій коментар" in response.content.decode()
    response = client.post(link, {"rating": "5", "comment": "x\x00y", "website": ""})
    assert response.status_code == 400
    assert not Feedback.objects.exists()
    came.refresh_from_db()
    assert not came.feedback_given


def test_junk_or_unknown_tokens_and_the_numeric_address_are_not_found(client, came):
    for junk in ["short", "Z" * 32, "a\x00" * 12, "x" * 80]:
        assert client.get(f"/ask/feedback/consultation/{junk}/").status_code == 404
    # A consultation cannot be rated by a guessable number, only by its link.
    assert client.get(f"/ask/feedback/consultation/{came.pk}/").status_code == 404


def test_the_link_stops_working_when_the_booking_is_forgotten(client, came):
    link = link_in(mail.outbox[-1])
    long_ago = timezone.now() - timedelta(days=800)
    Slot.objects.filter(pk=came.slot_id).update(
        starts_at=long_ago, ends_at=long_ago + timedelta(minutes=30)
    )

    personal_data_anonymise(days=365)

    came.refresh_from_db()
    assert came.feedback_token is None and came.name == ""
    assert client.get(link).status_code == 404


def test_a_booking_marked_no_show_after_the_mail_cannot_be_rated(client, came, librarian_a):
    link = link_in(mail.outbox[-1])
    egov_services.booking_mark(booking=came, status="no_show", acting_user=librarian_a)
    assert client.get(link).status_code == 404


def test_the_form_page_runs_the_same_queries_whatever_else_is_stored(client, came, branch_a):
    link = link_in(mail.outbox[-1])
    client.get(link)  # the footer, the same on every page, is cached from here on
    with CaptureQueriesContext(connection) as first:
        client.get(link)
    for _ in range(5):
        BookingFactory(slot=SlotFactory(branch=branch_a))
    with CaptureQueriesContext(connection) as second:
        client.get(link)
    assert len(first) == len(second) == 1  # the booking with its slot and library


def test_staff_see_consultation_marks_of_their_library_only(
    client, came, librarian_a, librarian_b, branch_b
):
    client.post(link_in(mail.outbox[-1]), {"rating": "5", "comment": "", "website": ""})
    Feedback.objects.create(kind="consultation", object_id=branch_b.pk, subject="x",
                            branch=branch_b, rating=1)  # fmt: skip

    client.force_login(librarian_a)
    response = client.get("/admin/reference/feedback/", {"kind": "consultation"})
    assert [f.branch_id for f in response.context["cl"].result_list] == [came.slot.branch_id]
    assert "Середня оцінка: 5,0" in response.content.decode() or "Середня оцінка: 5.0" in (
        response.content.decode()
    )
