"""Readers: online pre-registration, the desk's confirmation, sign-in by card number or e-mail,
«Мій формуляр», the data download and closing the account."""

import json
import re
from datetime import date

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import ReaderProfile, User
from accounts.services import reader_close, reader_confirm, reader_register
from core.mail import mail_deliver
from core.models import OutgoingMail
from tests.accounts.test_cards import luhn_ok
from tests.factories import make_reader

pytestmark = pytest.mark.django_db

PASSWORD = "Sosnovyi-Lis-2026"
THIS_YEAR = timezone.localdate().year


def signup_data(branch, **overrides):
    data = {
        "first_name": "Олена",
        "last_name": "Ковальчук",
        "birth_year": str(THIS_YEAR - 30),
        "email": "olena@example.org",
        "phone": "067 123 45 67",
        "home_branch": str(branch.pk),
        "guardian_name": "",
        "guardian_contact": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "consent": "on",
    }
    data.update(overrides)
    return data


def verify_link(to):
    """The link of the verification letter, read from the outbox as the reader would."""
    letter = OutgoingMail.objects.filter(to=to).latest("pk")
    mail_deliver(mail_id=letter.pk)
    body = mail.outbox[-1].body
    return re.search(r"https?://\S+/accounts/confirm-email/\S+/", body).group(0)


def sign_up_and_verify(client, branch, **overrides):
    data = signup_data(branch, **overrides)
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 302, response.context["form"].errors
    link = verify_link(data["email"])
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.post("/" + path).status_code == 302
    user = User.objects.get(email=data["email"])
    assert EmailAddress.objects.get(user=user).verified
    signed_in = client.post("/accounts/login/", {"login": data["email"], "password": PASSWORD})
    assert signed_in.status_code == 302
    return user


# --- category and guardian ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "category"),
    [
        (6, "child"),
        (14, "child"),
        (15, "youth"),
        (21, "youth"),
        (22, "adult"),
        (59, "adult"),
        (60, "senior"),
        (90, "senior"),
    ],
)
def test_the_category_follows_from_the_birth_year(age, category):
    today = date(2026, 12, 7)
    assert ReaderProfile.category_for_birth_year(2026 - age, today=today) == category


def test_without_a_birth_year_there_is_no_category_to_work_out():
    assert ReaderProfile.category_for_birth_year(None) is None


def test_a_child_under_14_cannot_sign_up_without_a_parent_or_guardian(client, branch_a):
    response = client.post(
        "/accounts/signup/", signup_data(branch_a, birth_year=str(THIS_YEAR - 10))
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Дітей до 14 років записують з одним із батьків або опікуном." in errors["guardian_name"]
    assert "guardian_contact" in errors
    assert not User.objects.filter(email="olena@example.org").exists()
    # What was typed stays.
    assert 'value="Ковальчук"' in response.content.decode()


def test_a_child_signs_up_with_a_guardian_and_is_counted_as_a_child(client, branch_a):
    client.post(
        "/accounts/signup/",
        signup_data(
            branch_a,
            birth_year=str(THIS_YEAR - 10),
            guardian_name="Ірина Ковальчук",
            guardian_contact="+380671112233",
        ),
    )

    profile = ReaderProfile.objects.get(user__email="olena@example.org")
    assert profile.category == ReaderProfile.Category.CHILD
    assert profile.guardian_name == "Ірина Ковальчук"


def test_the_desk_service_also_refuses_a_child_without_a_guardian(branch_a, librarian_a):
    with pytest.raises(ValidationError):
        reader_register(
            home_branch=branch_a,
            birth_year=THIS_YEAR - 8,
            first_name="Марко",
            last_name="Ковальчук",
            acting_user=librarian_a,
        )


# --- online sign-up ------------------------------------------------------------------------


def test_online_sign_up_pre_registers_the_reader_with_a_card_and_the_consent(client, branch_a):
    response = client.post("/accounts/signup/", signup_data(branch_a))

    assert response.status_code == 302
    profile = ReaderProfile.objects.select_related("user").get(user__email="olena@example.org")
    assert profile.status == ReaderProfile.Status.PRE_REGISTERED
    assert profile.home_branch == branch_a
    assert profile.category == ReaderProfile.Category.ADULT
    assert profile.consent_version == "2026-12"
    assert profile.consent_given_at is not None
    assert profile.user.phone == "+380671234567"
    assert luhn_ok(profile.card_number) and len(profile.card_number) == 10
    # Verification is mandatory: a letter waits in the outbox, in Ukrainian.
    letter = OutgoingMail.objects.get(to="olena@example.org")
    assert letter.language == "uk"


def test_sign_up_without_consent_is_refused_with_a_reason(client, branch_a):
    data = signup_data(branch_a)
    del data["consent"]

    response = client.post("/accounts/signup/", data)

    assert response.status_code == 200
    assert "Без згоди на обробку даних записати не можемо." in response.content.decode()


@pytest.mark.parametrize("year", ["9999", "0", "\x00", "два"])
def test_an_impossible_birth_year_is_a_form_error_not_a_crash(client, branch_a, year):
    response = client.post("/accounts/signup/", signup_data(branch_a, birth_year=year))

    assert response.status_code == 200
    assert "birth_year" in response.context["form"].errors


def test_a_second_sign_up_with_the_same_e_mail_is_refused_clearly(client, branch_a, reader):
    response = client.post("/accounts/signup/", signup_data(branch_a, email=reader.email))

    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert ReaderProfile.objects.count() == 1


def test_english_sign_up_sends_the_letter_in_english(client, branch_a):
    response = client.post("/en/accounts/signup/", signup_data(branch_a))

    assert response.status_code == 302
    letter = OutgoingMail.objects.get(to="olena@example.org")
    assert letter.language == "en"
    mail_deliver(mail_id=letter.pk)
    assert "Confirm" in mail.outbox[-1].subject


def test_card_numbers_given_at_registration_are_valid_and_unique(branch_a, librarian_a, reader):
    numbers = {
        reader_register(
            home_branch=branch_a,
            birth_year=1980,
            first_name="Читач",
            last_name=str(n),
            acting_user=librarian_a,
        ).card_number
        for n in range(20)
    }

    assert len(numbers) == 20
    assert reader.reader_profile.card_number not in numbers  # 0000000018, given by hand
    assert all(luhn_ok(number) and len(number) == 10 for number in numbers)


# --- sign-in --------------------------------------------------------------------------------


def test_a_verified_reader_signs_in_with_the_card_number(client, branch_a):
    user = sign_up_and_verify(client, branch_a)
    client.logout()

    response = client.post(
        "/accounts/login/",
        {"login": user.reader_profile.card_number, "password": PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/me/"
    assert client.get("/me/").context["user"] == user


def test_a_card_number_typed_with_spaces_signs_in_too(client, branch_a):
    user = sign_up_and_verify(client, branch_a)
    client.logout()
    card = user.reader_profile.card_number

    response = client.post(
        "/accounts/login/", {"login": f"{card[:3]} {card[3:6]} {card[6:]}", "password": PASSWORD}
    )

    assert response.status_code == 302


def test_a_verified_reader_signs_in_with_the_e_mail(client, branch_a):
    sign_up_and_verify(client, branch_a)
    client.logout()

    response = client.post("/accounts/login/", {"login": "Olena@Example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/me/"


def test_an_unverified_reader_is_asked_to_verify_before_signing_in(client, branch_a):
    client.post("/accounts/signup/", signup_data(branch_a))
    client.logout()
    card = ReaderProfile.objects.get().card_number

    response = client.post("/accounts/login/", {"login": card, "password": PASSWORD})

    assert response.status_code == 302
    assert "/accounts/confirm-email/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_with_a_card_number_is_refused(client, branch_a):
    user = sign_up_and_verify(client, branch_a)
    client.logout()

    response = client.post(
        "/accounts/login/", {"login": user.reader_profile.card_number, "password": "wrong"}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_for_a_card_number_lock_the_reader_sign_in_out(client, branch_a, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = sign_up_and_verify(client, branch_a)
    client.logout()
    card = user.reader_profile.card_number

    for _ in range(2):
        assert (
            client.post("/accounts/login/", {"login": card, "password": "wrong"}).status_code == 200
        )
    assert client.post("/accounts/login/", {"login": card, "password": "wrong"}).status_code == 429

    locked = client.post("/accounts/login/", {"login": card, "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_for_an_e_mail_lock_the_reader_sign_in_out(client, branch_a, settings):
    settings.AXES_FAILURE_LIMIT = 3
    sign_up_and_verify(client, branch_a)
    client.logout()
    for _ in range(3):
        client.post("/accounts/login/", {"login": "olena@example.org", "password": "wrong"})

    response = client.post("/accounts/login/", {"login": "olena@example.org", "password": PASSWORD})

    assert response.status_code == 429


def test_password_reset_mail_goes_through_the_outbox(client, branch_a):
    sign_up_and_verify(client, branch_a)
    client.logout()
    OutgoingMail.objects.all().delete()

    response = client.post("/accounts/password/reset/", {"email": "olena@example.org"})

    assert response.status_code == 302
    letter = OutgoingMail.objects.get(to="olena@example.org")
    mail_deliver(mail_id=letter.pk)
    assert "/accounts/password/reset/key/" in mail.outbox[-1].body
    assert mail.outbox[-1].subject == "Новий пароль до читацького квитка"


# --- the desk -------------------------------------------------------------------------------


def test_the_home_library_confirms_a_pre_registered_reader(client, branch_a, librarian_a):
    user = sign_up_and_verify(client, branch_a)

    profile = reader_confirm(reader=user.reader_profile, acting_user=librarian_a)

    assert profile.status == ReaderProfile.Status.ACTIVE
    assert profile.document_checked_by == librarian_a
    assert profile.document_checked_on == timezone.localdate()


def test_staff_of_another_library_cannot_confirm_a_reader(client, branch_a, librarian_b):
    user = sign_up_and_verify(client, branch_a)

    with pytest.raises(PermissionDenied):
        reader_confirm(reader=user.reader_profile, acting_user=librarian_b)

    assert ReaderProfile.objects.get().status == ReaderProfile.Status.PRE_REGISTERED


def test_staff_of_another_library_cannot_see_or_confirm_a_reader_in_the_admin(
    client, branch_a, librarian_b
):
    user = sign_up_and_verify(client, branch_a)
    profile = user.reader_profile
    client.force_login(librarian_b)

    assert client.get("/admin/accounts/readerprofile/").context["cl"].result_count == 0
    assert client.get(f"/admin/accounts/readerprofile/{profile.pk}/change/").status_code == 302
    assert client.post(f"/admin/accounts/readerprofile/{profile.pk}/confirm/").status_code == 404
    assert client.get(f"/admin/accounts/readerprofile/{profile.pk}/card/").status_code == 404
    client.post(
        "/admin/accounts/readerprofile/",
        {"action": "confirm_selected", "_selected_action": [profile.pk], "select_across": "1"},
    )
    assert ReaderProfile.objects.get().status == ReaderProfile.Status.PRE_REGISTERED


def test_the_librarian_confirms_with_the_button_on_the_readers_page(client, branch_a, librarian_a):
    user = sign_up_and_verify(client, branch_a)
    profile = user.reader_profile
    client.force_login(librarian_a)
    page = client.get(f"/admin/accounts/readerprofile/{profile.pk}/change/")
    assert "Документ перевірено" in page.content.decode()

    response = client.post(f"/admin/accounts/readerprofile/{profile.pk}/confirm/")

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.status == ReaderProfile.Status.ACTIVE
    assert profile.document_checked_by == librarian_a


def test_the_admin_action_confirms_the_selected_readers(client, branch_a, librarian_a):
    user = sign_up_and_verify(client, branch_a)
    client.force_login(librarian_a)

    response = client.post(
        "/admin/accounts/readerprofile/",
        {"action": "confirm_selected", "_selected_action": [user.reader_profile.pk]},
        follow=True,
    )

    assert "Підтверджено запис 1 читача." in response.content.decode()
    assert ReaderProfile.objects.get().status == ReaderProfile.Status.ACTIVE


def test_staff_print_the_card_of_their_own_reader(client, reader, librarian_a):
    client.force_login(librarian_a)

    response = client.get(f"/admin/accounts/readerprofile/{reader.reader_profile.pk}/card/")

    assert response.status_code == 200
    assert reader.reader_profile.card_number in response.content.decode()


# --- «Мій формуляр» -------------------------------------------------------------------------


def test_me_asks_a_visitor_to_sign_in(client):
    response = client.get("/me/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/me/")


def test_me_shows_the_card_number_status_and_the_links(client, branch_a):
    user = sign_up_and_verify(client, branch_a)

    html = client.get("/me/").content.decode()

    assert user.reader_profile.card_number in html
    assert "Попередньо записаний" in html
    for link in ("/me/card/", "/me/data.json", "/me/close/", "/accounts/logout/"):
        assert link in html


def test_me_in_english(client, branch_a):
    sign_up_and_verify(client, branch_a)

    response = client.get("/en/me/")

    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "My library record" in html
    assert "Pre-registered" in html


def test_the_printable_card_has_the_number_and_a_code_128_barcode(client, branch_a):
    user = sign_up_and_verify(client, branch_a)

    html = client.get("/me/card/").content.decode()

    assert user.reader_profile.card_number in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert branch_a.name in html


def test_me_query_count_does_not_grow_with_registrations(client, reader, django_assert_num_queries):
    from events.models import Registration
    from tests.events.factories import EventFactory

    EmailAddress.objects.create(user=reader, email=reader.email, verified=True, primary=True)
    client.force_login(reader)
    client.get("/me/")

    def add_registrations(n):
        for _ in range(n):
            Registration.objects.create(
                event=EventFactory(starts_at=timezone.now() + timezone.timedelta(days=3)),
                name="Читач",
                email=reader.email,
                user=reader,
                status=Registration.Status.CONFIRMED,
                consent_at=timezone.now(),
            )

    add_registrations(1)
    with django_assert_num_queries(QUERIES_ME):
        assert client.get("/me/").status_code == 200
    add_registrations(5)
    with django_assert_num_queries(QUERIES_ME):
        html = client.get("/me/").content.decode()
    assert html.count('href="/events/registration/') == 6


# session, user, reader profile, events, clubs, verified e-mails, bookings, applications,
# loans, holds, reading history (circulation's section); the footer comes from the cache
# the first page filled (a reader's menu reads no permissions)
QUERIES_ME = 11


# --- data download and closing --------------------------------------------------------------


def test_the_data_download_holds_the_readers_data_and_no_one_elses(client, branch_a, reader):
    user = sign_up_and_verify(client, branch_a)

    response = client.get("/me/data.json")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == "olena@example.org"
    assert data["reader"]["card_number"] == user.reader_profile.card_number
    assert data["reader"]["consent_version"] == "2026-12"
    for key in ("events", "clubs", "egov", "volunteers"):
        assert key in data
    text = response.content.decode()
    assert reader.email not in text
    assert reader.reader_profile.card_number not in text
    assert reader.last_name not in text


def test_closing_the_account_erases_name_contacts_and_keeps_what_statistics_need(client, branch_a):
    user = sign_up_and_verify(client, branch_a)
    card = user.reader_profile.card_number
    assert "Так, закрити" in client.get("/me/close/").content.decode()

    response = client.post("/me/close/", {"confirm": "yes"})

    assert response.status_code == 200
    user.refresh_from_db()
    profile = user.reader_profile
    assert (user.first_name, user.last_name, user.email, user.phone) == ("", "", "", "")
    assert not user.is_active
    assert not EmailAddress.objects.filter(user=user).exists()
    assert profile.status == ReaderProfile.Status.LEFT
    assert profile.left_on == timezone.localdate()
    assert profile.category == ReaderProfile.Category.ADULT
    assert profile.home_branch == branch_a
    # Signed out, and cannot sign in again with the card or the e-mail.
    assert client.get("/me/").status_code == 302
    for login in (card, "olena@example.org"):
        client.post("/accounts/login/", {"login": login, "password": PASSWORD})
        assert "_auth_user_id" not in client.session


def test_closing_needs_the_confirmation(client, branch_a):
    user = sign_up_and_verify(client, branch_a)

    response = client.post("/me/close/", {})

    assert response.status_code == 200
    assert "Позначте, що ви справді хочете" in response.content.decode()
    user.refresh_from_db()
    assert user.is_active and user.email


def test_a_closed_reader_is_forgotten_by_the_retention_run_too(branch_a, librarian_a):
    from core.retention import personal_data_anonymise

    profile = reader_register(
        home_branch=branch_a,
        birth_year=1970,
        first_name="Петро",
        last_name="Давидюк",
        email="davydiuk@example.org",
        acting_user=librarian_a,
    )
    ReaderProfile.objects.filter(pk=profile.pk).update(
        status=ReaderProfile.Status.LEFT, left_on=date(2020, 1, 1)
    )

    results = {r.shredder.name: r for r in personal_data_anonymise()}

    assert results["accounts.readers"].count == 1
    user = User.objects.get(pk=profile.user_id)
    assert user.last_name == "" and user.email == ""


def test_reader_close_service_is_idempotent(branch_a):
    user = make_reader(username="twice", branch=branch_a)
    reader_close(user=user)
    reader_close(user=user)

    assert User.objects.get(pk=user.pk).username == f"closed-{user.pk}"


# --- pages in both languages ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/accounts/login/", "Вхід для читачів"),
        ("/en/accounts/login/", "Reader sign-in"),
        ("/accounts/signup/", "Запис до бібліотеки онлайн"),
        ("/en/accounts/signup/", "Register with the library online"),
        ("/accounts/password/reset/", "Новий пароль"),
        ("/en/accounts/password/reset/", "New password"),
    ],
)
def test_reader_pages_in_ukrainian_and_english(client, url, heading):
    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert 'class="site-header"' in html  # the portal's frame


def test_the_english_sign_in_form_speaks_english(client):
    html = client.get("/en/accounts/login/").content.decode()

    assert "Library card number or e-mail" in html
    assert "Номер" not in html


def test_the_password_change_page_opens_in_the_portals_frame(client, branch_a):
    sign_up_and_verify(client, branch_a)

    response = client.get("/accounts/password/change/")

    assert response.status_code == 200
    assert 'class="site-header"' in response.content.decode()


def test_a_reader_who_left_no_longer_counts_on_the_books(branch_a):
    from accounts.stats import readers_on_books_by_category, readers_total

    user = make_reader(username="leaving", branch=branch_a)
    year = timezone.localdate().year
    ReaderProfile.objects.filter(user=user).update(
        status=ReaderProfile.Status.LEFT, left_on=date(year, 3, 1)
    )

    assert readers_total(years=[year]) == {}
    # A user of form 6-НК in the year they left, not in the next.
    counts = {
        row["year"]: row["count"] for row in readers_on_books_by_category(years=[year, year + 1])
    }
    assert counts == {year: 1}


def test_the_yearly_re_registration_is_recorded_by_the_home_library(
    client, reader, librarian_a, librarian_b
):
    profile = reader.reader_profile
    for librarian in (librarian_b, librarian_a):
        client.force_login(librarian)
        client.post(
            "/admin/accounts/readerprofile/",
            {"action": "reregister_selected", "_selected_action": [profile.pk]},
        )
        profile.refresh_from_db()
        if librarian == librarian_b:
            assert profile.reregistered_on is None

    assert profile.reregistered_on == timezone.localdate()


def test_the_demo_seed_gives_the_desk_readers_to_confirm(branch_a):
    import random

    from accounts import demo

    made = demo.seed(rng=random.Random(1))

    assert made == len(demo.READERS)
    assert demo.seed(rng=random.Random(1)) == 0
    waiting = ReaderProfile.objects.pre_registered().filter(home_branch=branch_a)
    assert waiting.exists()
    child = ReaderProfile.objects.get(user__first_name="Софія")
    assert child.category == ReaderProfile.Category.CHILD and child.guardian_name


def test_closing_the_account_makes_every_app_forget_the_reader(client, branch_a):
    from egov.models import Booking
    from events.models import ClubMembership, Event, Registration
    from events.services import registration_create
    from tests.egov.factories import BookingFactory, SlotFactory
    from tests.events.factories import EventFactory, MembershipFactory

    user = sign_up_and_verify(client, branch_a)
    upcoming = EventFactory(branch=branch_a, capacity=1)
    registration = registration_create(
        event=upcoming, name="Олена Ковальчук", email="olena@example.org", user=user
    )
    waiting = registration_create(event=upcoming, name="Інший читач", email="other@example.org")
    membership = MembershipFactory(name="Олена Ковальчук", email="olena@example.org", user=user)
    booking = BookingFactory(
        slot=SlotFactory(branch=branch_a), name="Олена Ковальчук", email="OLENA@example.org"
    )
    someone_else = BookingFactory(
        slot=SlotFactory(branch=branch_a), name="Петро Мельник", email="petro@example.org"
    )

    client.post("/me/close/", {"confirm": "yes"})

    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert (registration.name, registration.email, registration.user) == ("", "", None)
    # The freed seat went to the next in the queue.
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert Event.objects.get(pk=upcoming.pk).seats_confirmed == 1
    membership = ClubMembership.objects.get(pk=membership.pk)
    assert membership.left_on == timezone.localdate() and membership.name == ""
    booking = Booking.objects.get(pk=booking.pk)
    assert booking.status == Booking.Status.CANCELLED and booking.email == ""
    assert Booking.objects.get(pk=someone_else.pk).email == "petro@example.org"


def test_a_staff_member_cannot_close_their_account_from_the_reader_page(client, librarian_a):
    client.force_login(librarian_a)

    response = client.post("/me/close/", {"confirm": "yes"})

    assert response.status_code == 200
    assert "Обліковий запис працівника закриває адміністратор." in response.content.decode()
    librarian_a.refresh_from_db()
    assert librarian_a.is_active and librarian_a.last_name


def test_the_sign_up_page_shows_the_consent_text_with_the_version_stored(client):
    from accounts.services import CONSENT_VERSION

    html = client.get("/accounts/signup/").content.decode()

    assert "Згода на обробку персональних даних" in html
    assert f"Версія тексту: {CONSENT_VERSION}" in html


def test_a_reader_only_pre_registered_online_is_not_yet_counted(client, branch_a, librarian_a):
    from accounts.stats import readers

    year = timezone.localdate().year
    user = sign_up_and_verify(client, branch_a)
    assert readers(years=[year]) == {}

    reader_confirm(reader=user.reader_profile, acting_user=librarian_a)

    assert readers(years=[year]) == {(branch_a.pk, year): 1}
