"""Staff of one library never see the people of another: a sweep over every admin URL and the API.

Library A (branch № 5) gets one person of every kind the portal keeps personal data about —
a reader, its staff, people registered for an event, in a club, booked for a consultation,
asking for help, volunteering, waiting for home delivery, suggesting a purchase, trained.
Signed in as the librarian or the branch head of library B (№ 7), every admin page of every
registered model is tried (lists with a search term, change, history, delete, view on site,
autocomplete with a search term, every action with «select all»), and the API; any name,
e-mail, phone or secret link of A's people in an answer is a leak. Nothing of A's may change.
"""

import io
import json
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook

from accounts.models import StaffProfile
from catalog.models import PurchaseSuggestion
from circulation.services import hold_place, loan_checkout
from core.admin_views import holds_personal_data
from core.phones import phone_display
from events.models import Event, Registration
from lutsk_cbs.api import router
from strategy.models import Plan
from tests.branches.factories import TourRequestFactory
from tests.catalog.factories import ItemFactory
from tests.egov.factories import BookingFactory, HelpRequestFactory, SlotFactory
from tests.events.factories import ClubFactory, EventFactory, MembershipFactory
from tests.factories import make_reader, make_staff
from tests.reference.factories import QuestionFactory
from tests.spaces.factories import BookingFactory as SpaceBookingFactory
from tests.spaces.factories import ResourceFactory
from tests.strategy.factories import TrainingRecordFactory
from tests.volunteers.factories import (
    ApplicationFactory,
    DeliveryRequestFactory,
    HoursEntryFactory,
    OpportunityFactory,
)
from volunteers.models import SignUp

pytestmark = pytest.mark.django_db


@dataclass
class People:
    """Library A's people: the objects that hold them, what must never reach B, what to type."""

    objects: list = field(default_factory=list)
    secrets: set = field(default_factory=set)
    # (what staff of B type, what must not come back for it beyond `secrets`)
    terms: list = field(default_factory=list)

    def add(self, obj, *, name="", email="", phone="", token="", name_known_to_b=False):
        """`name_known_to_b`: B may see the name (a volunteer of A who signed up for B's
        opportunity), but must not find it by A's contacts."""
        self.objects.append(obj)
        last_name = name.split()[-1] if name else ""
        shown = phone_display(phone) if phone else ""
        names = {name, last_name} - {""}
        contacts = {email, phone, shown, token} - {""}
        self.secrets |= contacts if name_known_to_b else contacts | names
        if not name_known_to_b and last_name:
            self.terms.append((last_name, set()))
        # One contact per person is enough to find them by; every request costs time.
        contact = email or shown
        if contact:
            self.terms.append((contact, names))
        return obj


def _phone(number):
    return f"+38067555{number:04d}"


@pytest.fixture
def people_of_a(branch_a, branch_b, reader, librarian_a, branch_head_a):
    people = People()
    now = timezone.now()
    for user, name, number in [
        (reader, "Левко Бойчук", 1),
        (librarian_a, "Оксана Мельничук", 2),
        (branch_head_a, "Тарас Савчук", 3),
    ]:
        user.first_name, user.last_name = name.split()
        user.email, user.phone = f"{user.username}@lutsk-a.example", _phone(number)
        user.save()
        people.add(user, name=name, email=user.email, phone=user.phone)
        people.objects += [
            profile
            for profile in (
                getattr(user, "reader_profile", None),
                getattr(user, "staff_profile", None),
            )
            if profile
        ]

    # A child reader's guardian, recorded on the card (accounts.ReaderProfile).
    card = reader.reader_profile
    card.guardian_name, card.guardian_contact = "Ганна Бойчук", "guardian@lutsk-a.example"
    card.save()
    people.add(card, name=card.guardian_name, email=card.guardian_contact)

    event = EventFactory(branch=branch_a)
    registration = Registration.objects.create(
        event=event,
        name="Стефанія Зайчук",
        email="zaichuk@lutsk-a.example",
        phone=_phone(4),
        status=Registration.Status.CONFIRMED,
        confirmed_at=now,
        consent_at=now,
    )
    people.add(
        registration,
        name=registration.name,
        email=registration.email,
        phone=registration.phone,
        token=registration.token,
    )
    people.objects.append(event)

    club = ClubFactory(branch=branch_a)
    membership = MembershipFactory(
        club=club, name="Богдана Шевчук", email="shevchuk@lutsk-a.example", phone=_phone(5)
    )
    people.add(
        membership,
        name=membership.name,
        email=membership.email,
        phone=membership.phone,
        token=membership.token,
    )
    people.objects.append(club)

    slot = SlotFactory(branch=branch_a)
    booking = BookingFactory(
        slot=slot, name="Ярема Гнатюк", email="hnatiuk@lutsk-a.example", phone=_phone(6)
    )
    people.add(
        booking, name=booking.name, email=booking.email, phone=booking.phone, token=booking.token
    )
    people.objects.append(slot)

    hall = ResourceFactory(branch=branch_a, name="Зала для заходів")
    space_booking = SpaceBookingFactory(
        resource=hall,
        organisation="Клуб «Гамбіт»",
        name="Орест Данилюк",
        email="danyliuk@lutsk-a.example",
        phone=_phone(12),
        status="pending",
    )
    people.add(
        space_booking,
        name=space_booking.name,
        email=space_booking.email,
        phone=space_booking.phone,
        token=space_booking.token,
    )
    people.objects.append(hall)

    help_request = HelpRequestFactory(
        branch=branch_a, name="Зиновій Козак", contact="kozak@lutsk-a.example"
    )
    people.add(help_request, name=help_request.name, email=help_request.contact)

    volunteer = ApplicationFactory(
        branch=branch_a,
        active=True,
        name="Мирослава Ткачук",
        email="tkachuk@lutsk-a.example",
        phone=_phone(7),
        guardian_name="Ілля Грицай",
        guardian_contact="hrytsai@lutsk-a.example",
    )
    people.add(
        volunteer,
        name=volunteer.name,
        email=volunteer.email,
        phone=volunteer.phone,
        token=volunteer.access_token,
    )
    people.add(volunteer, name=volunteer.guardian_name, email=volunteer.guardian_contact)
    opportunity = OpportunityFactory(branch=branch_a)
    people.objects += [
        opportunity,
        SignUp.objects.create(opportunity=opportunity, volunteer=volunteer),
        HoursEntryFactory(branch=branch_a, volunteer=volunteer),
    ]

    # A's volunteer who also helps at B: B sees the name (to log hours), never A's contacts.
    helper = ApplicationFactory(
        branch=branch_a,
        active=True,
        name="Ліна Кравець",
        email="kravets@lutsk-a.example",
        phone=_phone(9),
    )
    people.add(
        helper,
        name=helper.name,
        email=helper.email,
        phone=helper.phone,
        token=helper.access_token,
        name_known_to_b=True,
    )
    people.objects.append(
        SignUp.objects.create(opportunity=OpportunityFactory(branch=branch_b), volunteer=helper)
    )

    delivery = DeliveryRequestFactory(branch=branch_a, name="Параска Дмитрук", phone=_phone(8))
    people.add(delivery, name=delivery.name, phone=delivery.phone)

    suggestion = PurchaseSuggestion.objects.create(
        title="Тіні забутих предків", branch=branch_a, email="reader-wish@lutsk-a.example"
    )
    people.add(suggestion, email=suggestion.email)

    question = QuestionFactory(
        branch=branch_a, published=True, name="Орися Левчук", email="levchuk@lutsk-a.example"
    )
    people.add(question, name=question.name, email=question.email)

    tour = TourRequestFactory(
        branch=branch_a,
        group_name="9-В клас гімназії № 18",
        contact_name="Ганна Вдовиченко",
        email="vdovychenko@lutsk-a.example",
        phone=_phone(10),
    )
    people.add(tour, name=tour.contact_name, email=tour.email, phone=tour.phone, token=tour.token)
    people.secrets.add(tour.group_name)

    training = TrainingRecordFactory(branch=branch_a, person="Устина Ковальчук")
    people.add(training, name=training.person)

    # A's reader (Левко Бойчук above) borrows at A and waits for a title at A.
    copy = ItemFactory(branch=branch_a)
    loan = loan_checkout(
        item=copy, reader=reader.reader_profile, branch=branch_a, acting_user=librarian_a
    )
    wanted = ItemFactory(branch=branch_a)
    loan_checkout(
        item=wanted,
        reader=make_reader(username="borrower_a", branch=branch_a, card_sequence=77).reader_profile,
        branch=branch_a,
        acting_user=librarian_a,
    )
    hold = hold_place(record=wanted.record, reader=reader.reader_profile, pickup_branch=branch_a)
    people.objects += [loan, hold]
    people.secrets.add(reader.reader_profile.card_number)
    return people


@pytest.fixture
def branch_head_b(branch_b):
    return make_staff(
        username="head_b",
        role=StaffProfile.Role.BRANCH_HEAD,
        branch=branch_b,
        group_name="Завідувач філії",
    )


@pytest.fixture(params=["librarian_b", "branch_head_b"])
def staff_of_b(request, client):
    user = request.getfixturevalue(request.param)
    client.force_login(user)
    return user


# --- reading answers --------------------------------------------------------------------------


def _text(response):
    """Everything a response tells: where it redirects and its body, JSON and XLSX unpacked."""
    parts = [response.get("Location", "")]
    content = (
        b"".join(response.streaming_content) if response.streaming else bytes(response.content)
    )
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                parts += [str(value) for value in row if value is not None]
    else:
        text = content.decode("utf-8-sig", errors="replace")
        if "json" in content_type:
            # Django and DRF escape non-ASCII in JSON; read it as the person would.
            text = json.dumps(json.loads(text), ensure_ascii=False)
        parts.append(text)
    return "\n".join(parts)


class Sweep:
    def __init__(self, client, people):
        self.client, self.people, self.leaks, self.tried = client, people, [], 0

    def check(self, method, url, data=None, follow_redirect=True, term=None):
        """`term`: (what was typed, what else it must not find); the page may repeat the
        typed words in its search box."""
        response = getattr(self.client, method)(url, data or {})
        self.tried += 1
        assert response.status_code < 500, f"{method.upper()} {url} → {response.status_code}"
        text = _text(response)
        secrets = set(self.people.secrets)
        if term:
            typed, found_by_it = term
            text = text.replace(f'value="{escape(typed)}"', "")
            secrets |= found_by_it
        self.leaks += [
            f"{method.upper()} {url} {data or ''} → {secret!r}"
            for secret in sorted(secrets)
            if secret in text
        ]
        location = response.get("Location", "")
        if follow_redirect and response.status_code in (301, 302) and location.startswith("/"):
            # Where the staff member lands (e.g. the «view on site» shortcut) counts too.
            self.check("get", location, follow_redirect=False)
        return response


def _registered():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def _admin_url(model, name, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}", args=args)


def _snapshot(people):
    return {
        (type(obj)._meta.label, obj.pk): model_to_dict(type(obj).objects.get(pk=obj.pk))
        for obj in people.objects
    }


@pytest.fixture
def sweep(client, people_of_a, staff_of_b):
    before = _snapshot(people_of_a)
    sweep = Sweep(client, people_of_a)
    yield sweep
    assert _snapshot(people_of_a) == before, "staff of library B changed library A's data"


def _assert_no_leaks(sweep):
    assert sweep.tried > 0
    assert not sweep.leaks, "library A's people reached library B:\n" + "\n".join(sweep.leaks)


# --- the sweep --------------------------------------------------------------------------------


def test_admin_lists_and_searches_show_staff_of_another_library_none_of_its_people(sweep):
    sweep.check("get", reverse("admin:index"))
    for model, model_admin in _registered():
        url = _admin_url(model, "changelist")
        response = sweep.check("get", url)
        if response.status_code == 200 and model_admin.search_fields:
            for term in sweep.people.terms:
                sweep.check("get", url, {"q": term[0]}, term=term)
    _assert_no_leaks(sweep)


def test_the_pages_of_another_librarys_people_are_closed_to_staff(sweep):
    for model, _model_admin in _registered():
        # Forms offer choices (a reader to give a card to, a volunteer to assign).
        sweep.check("get", _admin_url(model, "add"))
    for obj in sweep.people.objects:
        model = type(obj)
        if model in admin.site._registry:
            for name in ("change", "history", "delete"):
                sweep.check("get", _admin_url(model, name, obj.pk))
        content_type = ContentType.objects.get_for_model(obj)
        sweep.check("get", reverse("admin:view_on_site", args=[content_type.pk, obj.pk]))
    _assert_no_leaks(sweep)


STANDARD_ADMIN_VIEWS = {"changelist", "add", "history", "delete", "change"}


def _custom_admin_urls(people):
    """The admins' own extra pages (MARC reports, copies of an intake act, slot series), with
    A's objects where they take one."""
    pks_by_model = {}
    for obj in people.objects:
        pks_by_model.setdefault(type(obj), []).append(obj.pk)
    for model, model_admin in _registered():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        for pattern in model_admin.get_urls():
            name = getattr(pattern, "name", None) or ""
            if not name.startswith(prefix) or name.removeprefix(prefix) in STANDARD_ADMIN_VIEWS:
                continue
            params = list(pattern.pattern.converters)
            for pk in pks_by_model.get(model, [1]) if params else [None]:
                yield reverse(f"admin:{name}", kwargs=dict.fromkeys(params, pk))


def test_the_admins_own_extra_pages_and_the_staff_pages_show_nothing_of_another_library(
    sweep, branch_a
):
    custom = list(_custom_admin_urls(sweep.people))
    assert custom
    for url in custom:
        sweep.check("get", url)
    sweep.check("get", reverse("catalog:unsatisfied"))
    report = {"library": branch_a.pk}
    for name in (
        "strategy:index",
        "strategy:report",
        "strategy:report_print",
        "strategy:report_xlsx",
    ):
        sweep.check("get", reverse(name), report)
    sweep.check("get", reverse("strategy:report_entry"), {"library": branch_a.slug})
    plan = Plan.objects.order_by("pk").first()
    if plan is not None:
        url = reverse("strategy:library", kwargs={"slug": plan.slug, "library": branch_a.slug})
        sweep.check("get", url)
    _assert_no_leaks(sweep)


def _autocomplete_sources():
    """Every (model, field) whose autocomplete the admin would answer: a relation to a
    registered model that has search fields (Django does not ask whether the field is one of
    the source admin's autocomplete_fields)."""
    for model, _model_admin in _registered():
        for model_field in model._meta.get_fields():
            if not (model_field.is_relation and model_field.concrete):
                continue
            remote = model_field.related_model
            if remote in admin.site._registry and admin.site._registry[remote].search_fields:
                yield model, model_field


def test_autocomplete_tells_staff_nothing_about_another_librarys_people(sweep):
    sources = list(_autocomplete_sources())
    assert sources
    for model, model_field in sources:
        for term in [("", set()), *sweep.people.terms]:
            query = {
                "app_label": model._meta.app_label,
                "model_name": model._meta.model_name,
                "field_name": model_field.name,
                "term": term[0],
            }
            sweep.check("get", reverse("admin:autocomplete"), query, term=term)
    _assert_no_leaks(sweep)


def test_every_admin_action_on_everything_touches_and_exports_nothing_of_another_library(
    sweep, staff_of_b
):
    request = RequestFactory().get("/admin/")
    request.user = staff_of_b
    pks_by_model = {}
    for obj in sweep.people.objects:
        pks_by_model.setdefault(type(obj), []).append(obj.pk)
    for model, model_admin in _registered():
        for name in model_admin.get_actions(request):
            # «Select all» plus A's rows ticked by hand, as a crafted form would post them.
            data = {
                "action": name,
                "select_across": "1",
                "index": "0",
                "_selected_action": pks_by_model.get(model, [0]),
            }
            sweep.check("post", _admin_url(model, "changelist"), data)
    _assert_no_leaks(sweep)


def _api_lists():
    for _prefix, _viewset, basename in router.registry:
        try:
            yield reverse(f"{basename}-list")
        except NoReverseMatch:  # pragma: no cover — every viewset here has a list
            continue


def test_the_api_gives_staff_nothing_about_another_librarys_people(sweep):
    sweep.check("get", reverse("api-root"))
    for url in _api_lists():
        sweep.check("get", url)
        for term in sweep.people.terms:
            sweep.check("get", url, {"q": term[0]}, term=term)
            sweep.check("get", url, {"search": term[0]}, term=term)
    _assert_no_leaks(sweep)


def test_the_sweep_has_a_person_in_every_model_that_holds_personal_data(people_of_a):
    """A new personal-data model (one with an `audit_label`, as the audit log and the
    retention registry know them) must get a person of library A here."""
    personal = {model for model in apps.get_models() if holds_personal_data(model)}
    swept = {type(obj) for obj in people_of_a.objects}
    assert personal
    assert personal <= swept, f"not swept: {sorted(m._meta.label for m in personal - swept)}"


# --- what the sweep found, pinned --------------------------------------------------------------


def _view_on_site(obj):
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])


def test_view_on_site_never_takes_staff_to_a_persons_secret_link_even_in_their_own_library(
    client, librarian_a, branch_a
):
    now = timezone.now()
    registration = Registration.objects.create(
        event=EventFactory(branch=branch_a),
        name="Стефанія Зайчук",
        email="zaichuk@lutsk-a.example",
        status=Registration.Status.CONFIRMED,
        consent_at=now,
    )
    booking = BookingFactory(slot=SlotFactory(branch=branch_a))
    tour = TourRequestFactory(branch=branch_a)
    client.force_login(librarian_a)
    for obj in (registration, booking, tour):
        assert client.get(_view_on_site(obj)).status_code == 404
        change = client.get(_admin_url(type(obj), "change", obj.pk))
        assert change.status_code == 200
        assert "/admin/r/" not in change.content.decode()
    event_page = client.get(_admin_url(Event, "change", registration.event_id))
    assert "/admin/r/" in event_page.content.decode()  # the event's own public page
    assert registration.token not in event_page.content.decode()


def test_view_on_site_opens_a_public_page_only_for_staff_who_may_open_the_object(
    client, librarian_a, librarian_b, branch_a
):
    event = EventFactory(branch=branch_a)
    client.force_login(librarian_a)
    response = client.get(_view_on_site(event))
    assert response.status_code == 302
    assert response["Location"].endswith(event.get_absolute_url())
    client.force_login(librarian_b)
    assert client.get(_view_on_site(event)).status_code == 404


def _volunteer_autocomplete(client, term):
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "volunteers",
            "model_name": "hoursentry",
            "field_name": "volunteer",
            "term": term,
        },
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_hours_of_a_visiting_volunteer_are_logged_by_name_never_found_by_their_contacts(
    client, librarian_b, branch_a, branch_b
):
    helper = ApplicationFactory(
        branch=branch_a,
        active=True,
        name="Ліна Кравець",
        email="kravets@lutsk-a.example",
        phone="+380675550009",
    )
    SignUp.objects.create(opportunity=OpportunityFactory(branch=branch_b), volunteer=helper)
    client.force_login(librarian_b)
    assert _volunteer_autocomplete(client, "Кравець") == ["Ліна Кравець"]
    assert _volunteer_autocomplete(client, "kravets@lutsk-a.example") == []
    assert _volunteer_autocomplete(client, "0675550009") == []
