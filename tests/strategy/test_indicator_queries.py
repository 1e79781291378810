"""Every computed indicator of the plan costs the same number of SQL queries whatever the data
behind it (docs/stats.md: one aggregate each; club meetings and school lessons read the clubs,
their exceptions and the closures, and count the meetings in Python)."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from branches.models import Closure, Zone
from catalog.models import IntakeBatch, Person, PurchaseSuggestion, SearchLog
from circulation.models import Hold, Loan
from egov.models import Booking, HelpRequest
from events.models import Attendance, Club, Event, Registration
from news.models import NewsItem
from reference.models import SurveyResponse
from spaces.models import Booking as SpaceBooking
from spaces.models import Resource
from strategy.models import ExtraIncome, GrantApplication, StudyTrip
from strategy.sources import computed_indicators
from tests.branches.factories import TourRequestFactory
from tests.catalog.factories import ItemFactory, RecordFactory
from tests.digital.factories import DigitalPageFactory
from tests.egov.factories import BookingFactory, HelpRequestFactory, SlotFactory, WalkInFactory
from tests.events.factories import ClubFactory, EventFactory, MembershipFactory, PartnerFactory
from tests.factories import make_staff
from tests.lore.factories import FigureFactory
from tests.news.factories import NewsItemFactory
from tests.reference.factories import (
    EnquiryFactory,
    FeedbackFactory,
    QuestionFactory,
    SurveyFactory,
)
from tests.spaces.factories import BookingFactory as SpaceBookingFactory
from tests.spaces.factories import ResourceFactory
from tests.strategy.factories import (
    KYIV,
    TrainingRecordFactory,
    intake,
    register_readers,
    withdraw,
)
from tests.volunteers.factories import (
    ApplicationFactory,
    DeliveryRequestFactory,
    HoursEntryFactory,
)

pytestmark = pytest.mark.django_db

YEARS = range(2016, 2022)

# Queries each indicator costs for the whole network and for one library.
QUERIES = {
    "accounts.readers": 1,
    "branches.repairs": 1,
    "branches.tour_visitors": 1,
    "branches.tours_done": 1,
    "branches.zones": 1,
    "branches.zones_opened": 1,
    "events.club_attendance": 1,
    "events.families": 1,
    "events.school_attendance": 1,
    "events.family_attendance": 1,
    "events.family_held": 1,
    "events.patriotic_attendance": 1,
    "events.patriotic_held": 1,
    "accounts.readers_total": 1,
    "catalog.acquisitions": 1,
    "circulation.holds": 1,
    "circulation.holds_fulfilled": 1,
    "circulation.loans": 1,
    "circulation.overdue_loans": 1,
    "circulation.overdue_share": 1,
    "circulation.visits": 1,
    "catalog.acquisitions.author_gift": 1,
    "catalog.acquisitions.budget": 1,
    "catalog.acquisitions.donation": 1,
    "catalog.acquisitions.exchange": 1,
    "catalog.acquisitions.grant": 1,
    "catalog.acquisitions.sponsor": 1,
    "catalog.holdings": 1,
    "catalog.analytics_added": 1,
    "catalog.local_lore_records": 1,
    "catalog.purchase_suggestions": 1,
    "catalog.records": 1,
    "catalog.withdrawals": 1,
    "catalog.zero_hit_searches": 1,
    "egov.minutes": 1,
    "egov.requests": 1,
    "egov.resolved": 1,
    "egov.slot_bookings": 1,
    "egov.walk_ins": 1,
    "events.attendance": 1,
    "events.club_meetings": 3,
    "events.clubs": 1,
    "events.held": 1,
    "events.partners": 1,
    "events.partners_with_agreement": 1,
    "events.joint_events": 1,
    "news.press_releases": 1,
    "news.published": 1,
    "digital.documents": 1,
    "digital.pages": 1,
    "lore.local_writers_copies": 1,
    "lore.local_writers_records": 1,
    "events.registrations": 1,
    "events.school_learners": 1,
    "events.school_lessons": 3,
    "reference.enquiries": 1,
    "reference.feedback_avg": 1,
    "reference.questions": 1,
    "reference.survey_answers": 1,
    "strategy.grants_amount": 1,
    "strategy.grants_applied": 1,
    "strategy.grants_won": 1,
    "strategy.income.charity": 1,
    "strategy.income.paid_services": 1,
    "strategy.income.sponsors": 1,
    "strategy.trained_staff": 1,
    "strategy.training_hours": 1,
    "strategy.training_hours_per_staff": 2,
    "strategy.study_trips": 1,
    "volunteers.active": 1,
    "volunteers.applications": 1,
    "volunteers.home_deliveries": 1,
    "volunteers.hours": 1,
    "spaces.zone_bookings": 1,
    "spaces.zone_people": 1,
    "spaces.zone_hours": 1,
    "spaces.pc_sessions": 1,
    "spaces.pc_hours": 1,
    "spaces.declined": 1,
}


def at(year, month, day, hour=12):
    return datetime(year, month, day, hour, tzinfo=KYIV)


def activity(branches, size):
    """`size` of everything every indicator counts, in each library, in 2019 and 2020."""
    partner = PartnerFactory(agreement_date=date(2018, 5, 1))
    partner.branches.set(branches)
    writer = FigureFactory(is_local_writer=True)
    for branch in branches:
        for year in (2019, 2020):
            for _n in range(size):
                # A work of a local writer with a copy, and an article in it.
                work = RecordFactory(authors=["Земляк, Поет"], created_at=at(year, 3, 1))
                ItemFactory(record=work, branch=branch, added_at=at(year, 3, 1))
                RecordFactory(host=work, host_pages="5", created_at=at(year, 3, 2))
    writer.names.add(*Person.objects.filter(name="Земляк, Поет"))
    for branch in branches:
        # A hall and a public computer used, and a hall request the library declined.
        hall = ResourceFactory(branch=branch)
        computer = ResourceFactory(branch=branch, kind=Resource.Kind.COMPUTER, capacity=1)
        for year in (2019, 2020):
            for n in range(size):
                for resource in (hall, computer):
                    SpaceBookingFactory(
                        resource=resource,
                        status=SpaceBooking.Status.CONFIRMED,
                        starts_at=at(year, 4, 1 + n, 10),
                        people=min(resource.capacity, 4),
                    )
                SpaceBookingFactory(
                    resource=hall,
                    status=SpaceBooking.Status.DECLINED,
                    starts_at=at(year, 4, 1 + n, 14),
                )
    for branch in branches:
        make_staff(
            username=f"staff-{branch.pk}", role="librarian", branch=branch, group_name="Бібліотекар"
        )
        for year in (2019, 2020):
            StudyTrip.objects.create(
                branch=branch, date=date(year, 4, 1), destination="Львів", purpose="Досвід"
            )
        for year in (2019, 2020):
            Closure.objects.create(
                branch=branch,
                kind="repairs",
                start_date=date(year, 7, 1),
                end_date=date(year, 8, 1),
            )
            Zone.objects.create(branch=branch, kind="coworking", opened_on=date(year, 9, 1))
            TourRequestFactory(
                branch=branch,
                done=True,
                agreed_at=at(year, 5, 14),
                done_on=date(year, 5, 14),
                created_at=at(year, 4, 1),
            )
            for kind in ("patriotic", "family_reading"):
                themed = EventFactory(
                    branch=branch, kind=kind, starts_at=at(year, 5, 9), status=Event.Status.HELD
                )
                Attendance.objects.create(event=themed, audience="families", count=8)
                Registration.objects.create(
                    event=themed,
                    name="Родина",
                    email=f"family{themed.pk}@example.org",
                    status=Registration.Status.CONFIRMED,
                    created_at=at(year, 4, 20),
                    consent_at=at(year, 4, 20),
                )
            for source in IntakeBatch.Source.values:
                copies = intake(branch, date(year, 3, 1), source, copies=size)
            withdraw(copies[: max(1, size // 2)], date(year, 11, 1))
            register_readers(branch, year, size)
            for n in range(size):
                RecordFactory(created_at=at(year, 4, 1), is_local_lore=n % 2 == 0)
                SearchLog.objects.create(
                    query=f"q{n}",
                    normalized=f"q{n}",
                    hits=0,
                    branch=branch,
                    created_at=at(year, 4, 2),
                )
                suggestion = PurchaseSuggestion.objects.create(title=f"Книга {n}", branch=branch)
                PurchaseSuggestion.objects.filter(pk=suggestion.pk).update(
                    created_at=at(year, 4, 3)
                )
                event = EventFactory(
                    branch=branch, starts_at=at(year, 5, 1 + n % 28), status=Event.Status.HELD
                )
                event.partners.add(partner)
                Attendance.objects.create(event=event, audience="adults", count=10 + n)
                Registration.objects.create(
                    event=event,
                    name="Гість",
                    email=f"guest{event.pk}@example.org",
                    status=Registration.Status.CONFIRMED,
                    created_at=at(year, 4, 20),
                    consent_at=at(year, 4, 20),
                )
                volunteer = ApplicationFactory(
                    branch=branch, applied_on=date(year, 2, 1), active=True
                )
                HoursEntryFactory(
                    volunteer=volunteer,
                    branch=branch,
                    date=date(year, 6, 1),
                    approved_at=at(year, 6, 2),
                )
                DeliveryRequestFactory(
                    branch=branch,
                    volunteer=volunteer,
                    status="delivered",
                    delivered_at=at(year, 7, 1),
                )
                HelpRequestFactory(
                    branch=branch,
                    status=HelpRequest.Status.DONE,
                    minutes_spent=30,
                    created_at=at(year, 8, 1),
                )
                WalkInFactory(branch=branch, date=date(year, 8, 2), minutes=15)
                BookingFactory(
                    slot=SlotFactory(branch=branch, starts_at=at(year, 9, 1 + n % 28, 10 + n % 6)),
                    status=Booking.Status.ATTENDED,
                )
                TrainingRecordFactory(branch=branch, date=date(year, 10, 1))
                EnquiryFactory(branch=branch, date=date(year, 10, 2))
                QuestionFactory(branch=branch, published=True, answered_at=at(year, 10, 3))
                FeedbackFactory(branch=branch, rating=1 + n % 5, created_at=at(year, 10, 4))
                SurveyResponse.objects.create(
                    survey=SurveyFactory(branch=branch), branch=branch, created_at=at(year, 10, 5)
                )
                NewsItemFactory(
                    branch=branch,
                    kind=NewsItem.Kind.PRESS_RELEASE if n % 2 == 0 else NewsItem.Kind.NEWS,
                    published_at=at(year, 3, 1 + n % 28),
                )
                NewsItemFactory(
                    branch=branch,
                    kind=NewsItem.Kind.PRESS_RELEASE if n % 2 else NewsItem.Kind.NEWS,
                    published_at=at(year, 3, 1 + n % 28),
                )
                DigitalPageFactory(
                    document__branch=branch, document__digitised_on=date(year, 4, 1 + n % 28)
                )
                GrantApplication.objects.create(
                    title=f"Проєкт {n}",
                    funder="УКФ",
                    branch=branch,
                    author="Автор",
                    status=GrantApplication.Status.WON,
                    deadline=date(year, 3, 1),
                    submitted_on=date(year, 2, 27),
                    decided_on=date(year, 5, 1),
                    amount_won=1000 + n,
                )
                for kind in ExtraIncome.Kind.values:
                    ExtraIncome.objects.create(
                        branch=branch, kind=kind, date=date(year, 6, 1), amount=100 + n
                    )
                copy = ItemFactory(branch=branch)
                Loan.objects.create(
                    item=copy,
                    branch=branch,
                    home_branch=branch,
                    reader_category="adult",
                    material_type="book",
                    loaned_at=at(year, 3, 10),
                    due_on=date(year, 4, 9),
                    returned_at=at(year, 4, 20),
                )
                Hold.objects.create(
                    record=copy.record,
                    pickup_branch=branch,
                    placed_at=at(year, 3, 1),
                    status=Hold.Status.FULFILLED,
                    item=copy,
                )
        for kind in (Club.Kind.CLUB, Club.Kind.SCHOOL):
            for _n in range(size):
                club = ClubFactory(branch=branch, kind=kind, starts_on=date(2019, 1, 1))
                MembershipFactory(club=club, joined_on=date(2019, 1, 1))
                club.exceptions.create(date=date(2019, 1, 7))
                club.attendance.create(date=date(2019, 1, 14), count=6)
                club.attendance.create(date=date(2020, 1, 13), count=5)


@pytest.mark.parametrize("size", [1, 8])
def test_every_computed_indicator_costs_the_same_queries_whatever_the_data(
    branch_a, branch_b, size
):
    activity([branch_a, branch_b], size)
    registry = computed_indicators()
    assert set(registry) == set(QUERIES)

    costs, empty = {}, []
    for code, indicator in sorted(registry.items()):
        for branch_ids in (None, [branch_a.pk]):
            with CaptureQueriesContext(connection) as queries:
                values = indicator.func(years=YEARS, branch_ids=branch_ids)
            costs[code, branch_ids is None] = len(queries)
            if not any(values.values()):
                empty.append(code)

    assert empty == []  # every indicator had data to count
    pinned = {(code, whole): count for code, count in QUERIES.items() for whole in (True, False)}
    assert costs == pinned
