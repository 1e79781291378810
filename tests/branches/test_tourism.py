"""Library tourism: a library's history page, a group's tour request and how the library
answers it, the requester's secret link, retention and the tours counted for the plan."""

import re
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from branches import services, stats
from branches.models import Branch, BranchPhoto, TourRequest
from core.audit import audit_log
from core.retention import person_forget, personal_data_anonymise
from core.secret_links import PRIVATE_HEADERS
from tests.branches.factories import TourRequestFactory
from tests.branches.test_pages import h1, text

pytestmark = pytest.mark.django_db


def history_url(branch, prefix=""):
    return f"{prefix}/branches/{branch.slug}/history/"


def tour_data(**overrides):
    day = timezone.localdate() + timedelta(days=14)
    data = {
        "group_name": "7-Б клас ліцею № 5",
        "kind": "school_class",
        "people": "26",
        "preferred_date": day.isoformat(),
        "alternative_date": (day + timedelta(days=2)).isoformat(),
        "tour_language": "uk",
        "contact_name": "Оксана Петрівна",
        "email": "oksana@example.org",
        "phone": "050 123 45 67",
        "note": "Діти цікавляться історією Луцька.",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def branch_with_history(branch_a):
    branch_a.history = "Перший абзац історії.\n\nДругий абзац історії."
    branch_a.history_en = "The first paragraph of the history."
    branch_a.email = "branch5@example.org"
    branch_a.phone = "+380332000005"
    branch_a.save()
    return branch_a


# --- the history page ----------------------------------------------------------------------


def test_library_page_links_to_its_history_and_tours(client, branch_a):
    page = client.get(f"/branches/{branch_a.slug}/").content.decode()
    assert f'href="/branches/{branch_a.slug}/history/"' in page


def test_history_page_shows_the_history_in_paragraphs_and_the_tour_form(
    client, branch_with_history
):
    response = client.get(history_url(branch_with_history))

    assert response.status_code == 200
    assert h1(response) == "Історія бібліотеки та екскурсії"
    page = response.content.decode()
    assert "<p>Перший абзац історії.</p>" in page and "<p>Другий абзац історії.</p>" in page
    assert "Замовити екскурсію" in page and 'name="people"' in page


def test_english_history_page_lives_under_en_in_english(client, branch_with_history):
    response = client.get(history_url(branch_with_history, "/en"))

    assert response.status_code == 200
    assert h1(response) == "Library history and tours"
    assert "The first paragraph of the history." in text(response)
    assert "Request a tour" in text(response)


def test_a_library_without_a_history_says_so_and_still_takes_requests(client, branch_b):
    response = client.get(history_url(branch_b))
    assert "ще не розповіла своєї історії" in text(response)
    assert 'name="group_name"' in response.content.decode()


def test_a_library_that_takes_no_tours_shows_no_form_and_refuses_a_post(client, branch_b):
    branch_b.offers_tours = False
    branch_b.save()

    assert 'name="group_name"' not in client.get(history_url(branch_b)).content.decode()
    assert client.post(history_url(branch_b), tour_data()).status_code == 409
    assert not TourRequest.objects.exists()


def test_hidden_library_has_no_history_page(client, branch_b):
    branch_b.is_active = False
    branch_b.save()
    assert client.get(history_url(branch_b)).status_code == 404


HISTORY_QUERIES = 2  # the library, its photos (the footer is cached by the first page)


def test_history_page_runs_the_same_queries_with_one_photo_or_ten(
    client, branch_with_history, django_assert_num_queries
):
    BranchPhoto.objects.create(branch=branch_with_history, image="branches/a.jpg", alt_text="Фасад")
    client.get(history_url(branch_with_history))  # warm the caches the site shares
    with django_assert_num_queries(HISTORY_QUERIES):
        assert client.get(history_url(branch_with_history)).status_code == 200
    for n in range(9):
        BranchPhoto.objects.create(
            branch=branch_with_history, image=f"branches/{n}.jpg", alt_text=f"Зала {n}"
        )
    TourRequestFactory.create_batch(5, branch=branch_with_history)
    with django_assert_num_queries(HISTORY_QUERIES):
        page = client.get(history_url(branch_with_history)).content.decode()
    assert page.count('alt="Зала') == 9


# --- sending a request ---------------------------------------------------------------------


def test_a_teacher_requests_a_tour_and_follows_it_by_the_link_in_the_mail(
    client, branch_with_history, django_capture_on_commit_callbacks, eager_celery
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(history_url(branch_with_history), tour_data())

    tour = TourRequest.objects.get()
    assert response.status_code == 302 and response.url == tour.get_absolute_url()
    assert tour.branch == branch_with_history and tour.status == TourRequest.Status.NEW
    assert tour.people == 26 and tour.phone == "+380501234567" and tour.language == "uk"
    assert tour.consent_at is not None
    to_requester = next(m for m in mail.outbox if m.to == ["oksana@example.org"])
    assert "Заявку на екскурсію отримано" in to_requester.subject
    assert tour.get_absolute_url() in to_requester.body
    to_library = next(m for m in mail.outbox if m.to == ["branch5@example.org"])
    assert f"№ {tour.pk}" in to_library.subject
    # The library's notice sends staff to the admin; it does not spread the contacts.
    assert "oksana@example.org" not in to_library.body
    assert f"/admin/branches/tourrequest/{tour.pk}/change/" in to_library.body

    page = client.get(response.url)
    assert "Стан заявки: Нова." in text(page)
    assert "7-Б клас ліцею № 5" in text(page)


def test_a_request_from_the_english_page_is_answered_in_english(
    client, branch_with_history, django_capture_on_commit_callbacks, eager_celery
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(history_url(branch_with_history, "/en"), tour_data())

    assert response.url.startswith("/en/branches/tours/")
    tour = TourRequest.objects.get()
    assert tour.language == "en"
    to_requester = next(m for m in mail.outbox if m.to == ["oksana@example.org"])
    assert "tour request" in to_requester.subject.lower()
    assert "/en/branches/tours/" in to_requester.body


def test_a_request_with_mistakes_keeps_what_was_typed_and_says_what_to_fix(
    client, branch_with_history
):
    response = client.post(
        history_url(branch_with_history),
        tour_data(consent="", email="", phone="", people="0", note="Наші побажання"),
    )

    assert response.status_code == 400
    page = text(response)
    assert "Наші побажання" in page and "7-Б клас ліцею № 5" in page
    assert "Без згоди на обробку даних ми не можемо прийняти заявку." in page
    assert "Залиште е-пошту або телефон, щоб ми могли відповісти." in page
    assert "Прийде щонайменше одна особа." in page
    assert not TourRequest.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"people": "99999999999999999999999"}, "Бібліотека приймає до 200 осіб за раз"),
        ({"people": "багато"}, "Вкажіть кількість осіб числом."),
        ({"preferred_date": "9999-12-31"}, "Вкажіть дату від 01.01.2000 до 31.12.2100."),
        ({"preferred_date": "0001-01-01"}, "Вкажіть дату від 01.01.2000 до 31.12.2100."),
        ({"preferred_date": "2000-01-01"}, "не раніше ніж завтра"),
        ({"alternative_date": "2100-12-31"}, "не більше ніж на рік наперед"),
        ({"preferred_date": "31.02.2027"}, "Вкажіть дату у форматі ДД.ММ.РРРР."),
        ({"group_name": "Клас\x00"}, "Null"),
        ({"note": "a\x00b"}, "Null"),
        ({"kind": "dragons"}, "dragons"),
        ({"email": "не адреса"}, "Перевірте адресу е-пошти"),
        ({"phone": "12"}, "телефон"),
    ],
)
def test_hostile_or_mistaken_input_gets_a_clear_message_not_a_server_error(
    client, branch_with_history, overrides, message
):
    response = client.post(history_url(branch_with_history), tour_data(**overrides))

    assert response.status_code == 400
    assert message.lower() in text(response).lower()
    assert not TourRequest.objects.exists()


def test_a_bot_filling_the_honeypot_sees_thanks_and_nothing_is_saved(client, branch_a):
    response = client.post(history_url(branch_a), tour_data(website="http://spam.example"))
    assert response.status_code == 302 and response.url == "/branches/tours/thanks/"
    assert not TourRequest.objects.exists()


def test_after_five_requests_an_address_waits_and_keeps_its_text(client, branch_a):
    for _ in range(5):
        assert client.post(history_url(branch_a), tour_data()).status_code == 302
    response = client.post(history_url(branch_a), tour_data(group_name="Шоста група"))
    assert response.status_code == 429
    assert "Шоста група" in response.content.decode()
    assert TourRequest.objects.count() == 5


# --- the requester's link ------------------------------------------------------------------


def test_the_link_is_private_and_junk_tokens_are_not_found(client, branch_a):
    tour = TourRequestFactory(branch=branch_a)

    response = client.get(tour.get_absolute_url())
    assert response.status_code == 200
    for header, value in PRIVATE_HEADERS.items():
        assert response[header] == value
    for junk in ["short", "x" * 65, "a\x00" * 12, "Z" * 32]:
        assert client.get(f"/branches/tours/{junk}/").status_code == 404


def test_an_agreed_tour_shows_its_date_and_the_requester_cancels_it(
    client, branch_with_history, django_capture_on_commit_callbacks, eager_celery
):
    tour = TourRequestFactory(branch=branch_with_history, agreed=True)
    page = client.get(tour.get_absolute_url())
    assert "Погоджені дата й час" in text(page) and "Скасувати заявку" in text(page)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(tour.get_cancel_url())

    assert response.status_code == 302
    tour.refresh_from_db()
    assert tour.status == TourRequest.Status.CANCELLED
    notice = next(m for m in mail.outbox if m.to == ["branch5@example.org"])
    assert "скасовано" in notice.subject
    again = client.get(tour.get_absolute_url())
    assert "Стан заявки: Скасовано замовником." in text(again)
    assert "Скасувати заявку" not in text(again)
    assert client.post(tour.get_cancel_url()).status_code == 409


def test_a_tour_already_held_cannot_be_cancelled(client, branch_a):
    tour = TourRequestFactory(branch=branch_a, done=True)
    assert client.post(tour.get_cancel_url()).status_code == 409
    tour.refresh_from_db()
    assert tour.status == TourRequest.Status.DONE


def test_the_link_stops_working_once_the_contacts_are_forgotten(client, branch_a):
    tour = TourRequestFactory(
        branch=branch_a, done=True, status_changed_at=timezone.now() - timedelta(days=400)
    )
    personal_data_anonymise(days=365)
    assert client.get(tour.get_absolute_url()).status_code == 404


TOUR_QUERIES = 1  # the request with its library (the footer is cached by the first page)


def test_the_link_page_runs_two_queries_whatever_else_is_stored(
    client, branch_a, django_assert_num_queries
):
    tour = TourRequestFactory(branch=branch_a, agreed=True)
    client.get(tour.get_absolute_url())  # warm the caches the site shares
    with django_assert_num_queries(TOUR_QUERIES):
        assert client.get(tour.get_absolute_url()).status_code == 200
    TourRequestFactory.create_batch(10, branch=branch_a)
    with django_assert_num_queries(TOUR_QUERIES):
        assert client.get(tour.get_absolute_url()).status_code == 200


# --- the staff's answer --------------------------------------------------------------------


def test_staff_agree_a_date_and_the_requester_is_told_in_their_language(
    branch_a, librarian_a, django_capture_on_commit_callbacks, eager_celery
):
    tour = TourRequestFactory(branch=branch_a, language="en")
    when = timezone.now() + timedelta(days=12)

    with django_capture_on_commit_callbacks(execute=True):
        services.tour_request_agree(tour=tour, when=when, acting_user=librarian_a)

    tour.refresh_from_db()
    assert tour.status == TourRequest.Status.AGREED and tour.agreed_at == when
    assert tour.handled_by == librarian_a
    message = mail.outbox[-1]
    assert message.to == [tour.email] and "agreed" in message.subject.lower()
    entry = LogEntry.objects.get(object_id=str(tour.pk))
    assert entry.change_message == "Стан: Нова → Дату погоджено"
    assert tour.contact_name not in entry.object_repr and tour.group_name not in entry.object_repr


def test_a_date_in_the_past_cannot_be_agreed(branch_a, librarian_a):
    tour = TourRequestFactory(branch=branch_a)
    with pytest.raises(ValidationError):
        services.tour_request_agree(
            tour=tour, when=timezone.now() - timedelta(hours=1), acting_user=librarian_a
        )


def test_a_tour_is_marked_done_only_after_its_time_and_then_counts(
    branch_a, librarian_a, freeze_now
):
    tour = TourRequestFactory(branch=branch_a, agreed=True)
    with pytest.raises(ValidationError, match="лише після погодженого часу"):
        services.tour_request_change_status(tour=tour, to="done", acting_user=librarian_a)

    freeze_now(tour.agreed_at + timedelta(hours=2))
    services.tour_request_change_status(tour=tour, to="done", acting_user=librarian_a)

    tour.refresh_from_db()
    assert tour.done_on == timezone.localdate(tour.agreed_at)
    year = tour.done_on.year
    assert stats.tours_done(years=[year]) == {(branch_a.pk, year): 1}
    assert stats.tour_visitors(years=[year]) == {(branch_a.pk, year): 24}


def test_a_new_request_cannot_jump_to_done_and_a_declined_one_is_final(branch_a, librarian_a):
    tour = TourRequestFactory(branch=branch_a)
    with pytest.raises(ValidationError):
        services.tour_request_change_status(tour=tour, to="done", acting_user=librarian_a)
    services.tour_request_change_status(tour=tour, to="declined", acting_user=librarian_a)
    with pytest.raises(ValidationError):
        services.tour_request_agree(
            tour=tour, when=timezone.now() + timedelta(days=3), acting_user=librarian_a
        )


def test_a_declined_requester_is_told_by_mail(
    branch_a, librarian_a, django_capture_on_commit_callbacks, eager_celery
):
    tour = TourRequestFactory(branch=branch_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.tour_request_change_status(
            tour=tour, to="declined", acting_user=librarian_a, note="Ремонт у залі"
        )
    assert mail.outbox[-1].to == [tour.email]
    assert "не зможе провести" in mail.outbox[-1].subject


def test_moving_an_agreed_tour_is_logged_and_mailed_as_a_move(
    branch_a, librarian_a, django_capture_on_commit_callbacks, eager_celery
):
    tour = TourRequestFactory(branch=branch_a, agreed=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.tour_request_agree(
            tour=tour, when=timezone.now() + timedelta(days=20), acting_user=librarian_a
        )
    assert "перенесено" in mail.outbox[-1].subject
    assert LogEntry.objects.get(object_id=str(tour.pk)).change_message == "Дату екскурсії змінено"


def test_tours_done_counts_each_library_and_year_apart(branch_a, branch_b):
    last_year = timezone.localdate().year - 1
    day = timezone.localdate().replace(year=last_year, month=5, day=12)
    TourRequestFactory.create_batch(2, branch=branch_a, done=True, done_on=day, people=10)
    TourRequestFactory(branch=branch_b, done=True, done_on=day, people=7)
    TourRequestFactory(branch=branch_b, agreed=True)

    assert stats.tours_done(years=[last_year]) == {
        (branch_a.pk, last_year): 2,
        (branch_b.pk, last_year): 1,
    }
    assert stats.tour_visitors(years=[last_year], branch_ids=[branch_a.pk]) == {
        (branch_a.pk, last_year): 20
    }


# --- the admin -----------------------------------------------------------------------------

CHANGELIST = "/admin/branches/tourrequest/"


def change_url(tour):
    return f"{CHANGELIST}{tour.pk}/change/"


def test_a_librarian_sees_only_their_own_librarys_requests(client, branch_a, branch_b, librarian_a):
    own = TourRequestFactory(branch=branch_a)
    other = TourRequestFactory(branch=branch_b, contact_name="Чужа Контактна")
    client.force_login(librarian_a)

    response = client.get(CHANGELIST)
    assert list(response.context["cl"].result_list) == [own]
    assert "Чужа Контактна" not in response.content.decode()
    assert client.get(change_url(other)).status_code in (302, 403, 404)
    assert client.get(f"{CHANGELIST}?q=Чужа").status_code == 200


def test_a_librarian_agrees_a_date_in_the_admin_and_it_is_logged(
    client, branch_a, librarian_a, django_capture_on_commit_callbacks, eager_celery
):
    tour = TourRequestFactory(branch=branch_a)
    client.force_login(librarian_a)
    day = timezone.localdate() + timedelta(days=9)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            change_url(tour),
            {
                "change_status": "agreed",
                "new_agreed_at_0": day.isoformat(),
                "new_agreed_at_1": "11:00",
                "status_note": "Домовилися телефоном",
            },
        )

    assert response.status_code == 302
    tour.refresh_from_db()
    assert tour.status == TourRequest.Status.AGREED
    assert timezone.localtime(tour.agreed_at).hour == 11
    assert mail.outbox[-1].to == [tour.email]
    messages = LogEntry.objects.filter(object_id=str(tour.pk)).values_list(
        "change_message", flat=True
    )
    assert "Стан: Нова → Дату погоджено\nПримітка: Домовилися телефоном" in messages


def test_agreeing_in_the_admin_without_a_date_says_so(client, branch_a, librarian_a):
    tour = TourRequestFactory(branch=branch_a)
    client.force_login(librarian_a)

    response = client.post(change_url(tour), {"change_status": "agreed"})

    assert response.status_code == 200
    assert "Вкажіть погоджені дату й час екскурсії." in response.content.decode()
    tour.refresh_from_db()
    assert tour.status == TourRequest.Status.NEW


def test_a_methodologist_does_not_see_requesters_contacts(client, branch_a, methodologist):
    TourRequestFactory(branch=branch_a)
    client.force_login(methodologist)
    assert client.get(CHANGELIST).status_code == 403


# --- retention -----------------------------------------------------------------------------


def test_closed_requests_forget_contacts_and_open_ones_keep_them(branch_a, librarian_a):
    old = timezone.now() - timedelta(days=400)
    done = TourRequestFactory(branch=branch_a, done=True, status_changed_at=old)
    audit_log(
        user=librarian_a,
        obj=done,
        message="Стан: Дату погоджено → Екскурсію проведено",
        note="Провели для Вчителька Тестова",
    )
    open_one = TourRequestFactory(branch=branch_a, status_changed_at=old)

    results = {r.shredder.name: r for r in personal_data_anonymise(days=365)}

    assert results["branches.tour_requests"].count == 1
    done.refresh_from_db()
    open_one.refresh_from_db()
    assert (done.contact_name, done.email, done.phone, done.note) == ("", "", "", "")
    assert done.group_name == "Шкільний клас" and done.anonymised_at is not None
    assert done.people == 24 and done.done_on is not None
    assert open_one.contact_name and open_one.email
    entry = LogEntry.objects.get(object_id=str(done.pk))
    assert "Вчителька" not in entry.change_message


def test_a_reader_closing_the_account_cancels_and_forgets_their_open_requests(branch_a, reader):
    tour = TourRequestFactory(branch=branch_a, email="Reader@Example.org", agreed=True)
    counts = person_forget(user=reader, emails=["reader@example.org"])
    assert counts["branches.tour_requests"] == 1
    tour.refresh_from_db()
    assert tour.status == TourRequest.Status.CANCELLED and tour.email == ""


def test_the_page_and_mail_never_name_another_group(client, branch_a):
    mine = TourRequestFactory(branch=branch_a, group_name="Моя група")
    TourRequestFactory(branch=branch_a, group_name="Чужа група")
    page = client.get(mine.get_absolute_url()).content.decode()
    assert "Моя група" in page and "Чужа група" not in page
    assert re.search(r"noindex", page)


# --- demo data -----------------------------------------------------------------------------


def test_demo_histories_and_tours_are_marked_and_do_not_double(client, db):
    import random

    from branches import demo

    demo.seed(rng=random.Random(3))
    demo.seed(rng=random.Random(3))

    central = Branch.objects.get(slug="central")
    assert "Демонстраційний текст" in central.history
    assert "Демонстраційний текст" in text(client.get(history_url(central)))
    demo_tours = TourRequest.objects.filter(is_demo=True)
    assert demo_tours.count() == TourRequest.objects.count() > 6
    assert {t.status for t in demo_tours} == set(TourRequest.Status.values)
    held = stats.tours_done(years=range(2016, 2022))
    assert sum(held.values()) > 0
    # The plan years' requests keep no contacts, as retention would have left them.
    assert not demo_tours.filter(created_at__year__lt=2022).exclude(contact_name="").exists()


def test_demo_never_overwrites_a_history_a_librarian_wrote(db, branch_a):
    import random

    from branches import demo

    branch_a.history = "Справжня історія."
    branch_a.save()
    demo.seed(rng=random.Random(3))
    branch_a.refresh_from_db()
    assert branch_a.history == "Справжня історія."


def test_the_sitemap_lists_each_librarys_history_page_in_both_languages(client, branch_a):
    assert "sitemap-library-history.xml" in client.get("/sitemap.xml").content.decode()
    listed_pages = client.get("/sitemap-library-history.xml").content.decode()
    assert f"http://testserver/branches/{branch_a.slug}/history/" in listed_pages
    assert f"http://testserver/en/branches/{branch_a.slug}/history/" in listed_pages
