"""One object of every model the admin shows, in library A, made with the factories.

The admin walks (tests/test_admin_walk.py with Django's test client, and
tests/browser/test_admin_axe.py in Chromium) open one change page per model; this gives each
model its object; `admin_pages(user)` lists the pages a staff member may open.
"""

from datetime import date, timedelta
from decimal import Decimal

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.core.files.base import ContentFile
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from branches.models import PaidService, SocialLink
from catalog.models import (
    IntakeBatch,
    Item,
    MarcImport,
    OnlineResource,
    PurchaseSuggestion,
    SearchLog,
    Withdrawal,
)
from core.models import OutgoingMail
from events.models import Attendance, Audience, ClubException, Registration
from strategy.models import (
    ExtraIncome,
    GrantApplication,
    ManualValue,
    Metric,
    MilestoneNote,
    StudyTrip,
    TrainingPlan,
)
from tests.branches.factories import TourRequestFactory
from tests.catalog.factories import ItemFactory, RecordFactory, SubjectFactory
from tests.digital.factories import CollectionFactory, DigitalPageFactory
from tests.egov.factories import (
    BookingFactory,
    GuideLinkFactory,
    HelpRequestFactory,
    SlotFactory,
    WalkInFactory,
)
from tests.events.factories import (
    ClubFactory,
    EventFactory,
    MembershipFactory,
    PartnerFactory,
    TopicFactory,
)
from tests.factories import ClosureFactory, ZoneFactory
from tests.lore.factories import FigureFactory, PlaceFactory
from tests.news.factories import NewsItemFactory
from tests.reference.factories import (
    EnquiryFactory,
    FeedbackFactory,
    QuestionFactory,
    survey_with_questions,
)
from tests.spaces.factories import BookingFactory as SpaceBookingFactory
from tests.spaces.factories import ResourceFactory
from tests.strategy.factories import MilestoneFactory, TrainingRecordFactory
from tests.volunteers.factories import (
    ApplicationFactory,
    DeliveryRequestFactory,
    HoursEntryFactory,
    OpportunityFactory,
)
from volunteers.models import SignUp


def seed_one_of_each(*, branch, staff):
    """At least one object of every registered model, in `branch`; `staff` made the
    imports and notes. Returns nothing: read the objects back with `admin_objects()`."""
    now = timezone.now()
    today = timezone.localdate()
    ClosureFactory(
        branch=branch, start_date=today + timedelta(days=30), end_date=today + timedelta(days=31)
    )
    ZoneFactory(branch=branch, kind="coworking", name="Коворкінг", seats=6)
    SocialLink.objects.create(
        branch=branch, network=SocialLink.Network.FACEBOOK, url="https://facebook.com/lib5"
    )
    NewsItemFactory(branch=branch, title="Нові книжки для дітей")
    DigitalPageFactory(
        document__branch=branch,
        document__collection=CollectionFactory(branch=branch, title="Листівки старого Луцька"),
        document__title="Луцький замок, листівка",
    )

    record = RecordFactory(authors=["Українка, Леся"], subjects=["Поезія"], isbn="9789660345812")
    FigureFactory(name="Українка, Леся", is_local_writer=True).names.add(*record.contributors.all())
    PlaceFactory(name="Луцький замок", kind="building").records_about.add(record)
    RecordFactory(title="Стаття про Луцьк", host=record, host_part="№ 1", host_pages="3–4")
    SubjectFactory(name="Драма")
    batch = IntakeBatch.objects.create(
        branch=branch, source=IntakeBatch.Source.BUDGET, act_number="1"
    )
    ItemFactory(record=record, branch=branch, intake=batch, inventory_number="05-0000001")
    act = Withdrawal.objects.create(
        branch=branch, act_number="2", reason=Withdrawal.Reason.WORN_OUT
    )
    ItemFactory(
        record=record,
        branch=branch,
        withdrawal=act,
        status=Item.Status.WITHDRAWN,
        inventory_number="05-0000002",
    )
    OnlineResource.objects.create(
        title="Електронна бібліотека «Україніка»",
        url="https://elib.nlu.org.ua/",
        topic=OnlineResource.Topic.LIBRARIES,
    )
    PurchaseSuggestion.objects.create(
        title="Тіні забутих предків", branch=branch, email="reader@example.org"
    )
    SearchLog.objects.create(query="Франко", normalized="франко", branch=branch, hits=3)
    # A finished import: a running one's page fetches its figures every few seconds (see
    # test_a_running_imports_page_brings_its_figures_in_without_reloading).
    MarcImport.objects.create(
        file=ContentFile(b"", name="records.mrc"),
        original_name="records.mrc",
        branch=branch,
        created_by=staff,
        status=MarcImport.Status.DONE,
        records_seen=3,
        loaded=3,
    )

    event = EventFactory(branch=branch)
    Attendance.objects.create(event=event, audience=Audience.ADULTS, count=12)
    Registration.objects.create(
        event=event,
        name="Стефанія Зайчук",
        email="zaichuk@example.org",
        status=Registration.Status.CONFIRMED,
        confirmed_at=now,
        consent_at=now,
    )
    event.topics.add(TopicFactory(name="Краєзнавство", slug="local-lore"))
    museum = PartnerFactory(
        name="Волинський краєзнавчий музей",
        kind="museum",
        agreement_number="12/2020",
        agreement_date=date(2020, 1, 15),
        contact_name="Оксана Мельник",
        contact_email="museum@example.org",
    )
    museum.branches.add(branch)
    event.partners.add(museum)
    club = ClubFactory(branch=branch)
    ClubException.objects.create(club=club, date=today + timedelta(days=7))
    MembershipFactory(club=club, name="Богдана Шевчук")

    volunteer = ApplicationFactory(branch=branch, active=True, name="Мирослава Ткачук")
    opportunity = OpportunityFactory(branch=branch)
    SignUp.objects.create(opportunity=opportunity, volunteer=volunteer)
    HoursEntryFactory(branch=branch, volunteer=volunteer)
    DeliveryRequestFactory(branch=branch, name="Параска Дмитрук")
    QuestionFactory(branch=branch, name="Параска Дмитрук")
    EnquiryFactory(branch=branch)
    FeedbackFactory(branch=branch)
    survey_with_questions(branch=branch, status="draft")
    TourRequestFactory(branch=branch, contact_name="Ганна Вдовиченко")

    GuideLinkFactory()
    HelpRequestFactory(branch=branch)
    WalkInFactory(branch=branch)
    BookingFactory(slot=SlotFactory(branch=branch), name="Ярема Гнатюк")
    SpaceBookingFactory(
        resource=ResourceFactory(branch=branch, name="Зала для заходів"),
        name="Орися Данилюк",
        status="pending",
    )

    milestone = MilestoneFactory()
    MilestoneNote.objects.create(
        milestone=milestone, text="Проведено два тренінги.", created_by=staff
    )
    # The demo seed (browser tests) may have typed this year's figure in already.
    ManualValue.objects.get_or_create(
        metric=Metric.objects.filter(source=Metric.Source.MANUAL).order_by("pk").first(),
        branch=branch,
        year=2020,
        defaults={"value": Decimal("5")},
    )
    TrainingRecordFactory(branch=branch, person="Устина Ковальчук", date=date(2020, 3, 1))
    GrantApplication.objects.create(
        title="Бібліотека — простір громади",
        funder="Український культурний фонд",
        branch=branch,
        author="Устина Ковальчук",
        status=GrantApplication.Status.WON,
        deadline=date(2020, 4, 1),
        submitted_on=date(2020, 3, 30),
        decided_on=date(2020, 6, 1),
        amount_requested=Decimal("50000"),
        amount_won=Decimal("45000"),
        report_due=date(2021, 3, 1),
    )
    copying = PaidService.objects.create(
        branch=branch, name="Ксерокопіювання", price=Decimal("2"), unit="за сторінку"
    )
    ExtraIncome.objects.create(
        branch=branch,
        kind=ExtraIncome.Kind.PAID_SERVICES,
        date=date(2020, 5, 4),
        amount=Decimal("1200"),
        source="Ксерокопіювання",
        paid_service=copying,
    )
    TrainingPlan.objects.create(branch=branch, year=2020, staff=staff, hours=Decimal("24"))
    trip = StudyTrip.objects.create(
        branch=branch,
        date=date(2020, 9, 10),
        destination="Львівська обласна бібліотека для дітей",
        purpose="Досвід облаштування зон для підлітків",
        participant_count=2,
    )
    trip.participants.add(staff)

    OutgoingMail.objects.create(
        to="reader@example.org", language="uk", template="events/mail/confirmed"
    )
    AccessAttempt.objects.create(
        username="intruder",
        ip_address="127.0.0.1",
        user_agent="test",
        path_info="/admin/login/",
        failures_since_start=1,
    )
    AccessLog.objects.create(
        username="librarian", ip_address="127.0.0.1", user_agent="test", path_info="/admin/login/"
    )
    AccessFailureLog.objects.create(
        username="intruder",
        ip_address="127.0.0.1",
        user_agent="test",
        path_info="/admin/login/",
        locked_out=False,
    )


def admin_pages(user, *, views=("change", "history", "delete")):
    """(url, what it is) of every admin page `user` may open: the index, per registered model
    the list, the add form, and for the first object it may see the `views` of it (change,
    history, delete — the last only where the user may delete it)."""
    request = RequestFactory().get("/admin/")
    request.user = user
    yield reverse("admin:index"), "index"
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        if not model_admin.has_view_or_change_permission(request):
            continue
        yield reverse(f"{name}_changelist"), f"{opts.label} list"
        if model_admin.has_add_permission(request):
            yield reverse(f"{name}_add"), f"{opts.label} add"
        obj = model_admin.get_queryset(request).order_by("pk").first()
        if obj is None or not model_admin.has_view_or_change_permission(request, obj):
            continue
        for view in views:
            if view == "delete" and not model_admin.has_delete_permission(request, obj):
                continue
            try:
                yield reverse(f"{name}_{view}", args=[obj.pk]), f"{opts.label} {view}"
            except NoReverseMatch:
                continue


# The branch head's pages are the librarian's plus the library's own (accounts.roles), and
# render from the same templates: she walks only the extra ones. The administrator walks only
# what no branch role opens (users, groups, sign-in logs, mail).
EARLIER_ROLES = {
    "branch_head_a": ("librarian_a",),
    "administrator": ("librarian_a", "branch_head_a", "methodologist"),
}


def role_pages(request, role, *, views=("change", "history", "delete")):
    """admin_pages() of the persona fixture `role`, less those an earlier role already opens."""
    pages = list(admin_pages(request.getfixturevalue(role), views=views))
    seen = {
        url
        for other in EARLIER_ROLES.get(role, ())
        for url, _ in admin_pages(request.getfixturevalue(other), views=views)
    }
    return [(url, what) for url, what in pages if url not in seen]
