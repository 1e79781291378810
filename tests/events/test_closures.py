"""Club meetings skip the days their library is closed; events on such days are flagged to
staff (not hidden: an event may be held elsewhere)."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from branches.models import Closure
from tests.events.factories import ClubFactory, EventFactory
from tests.events.test_admin import EVENTS, _change_form_data, change_url

pytestmark = pytest.mark.django_db


def _network_closure(day):
    return Closure.objects.create(
        branch=None, kind=Closure.Kind.SANITARY, start_date=day, end_date=day
    )


def _weekly_club_meeting_in(days, **kwargs):
    day = timezone.localdate() + timedelta(days=days)
    return ClubFactory(weekdays=[day.weekday()], starts_at_time=time(17), **kwargs), day


def test_a_club_does_not_meet_on_a_network_wide_sanitary_day(client):
    club, day = _weekly_club_meeting_in(2, name="Клуб у санітарний день")
    _network_closure(day)

    listing = client.get("/events/", {"date_from": day.isoformat(), "date_to": day.isoformat()})
    page = client.get(club.get_absolute_url())

    assert "Клуб у санітарний день" not in listing.content.decode()
    assert page.context["meetings"][0].date() == day + timedelta(days=7)


def test_a_club_does_not_meet_when_its_own_library_is_closed_but_others_do(
    client, branch_a, branch_b
):
    closed, day = _weekly_club_meeting_in(3, name="Клуб зачиненої", branch=branch_a)
    open_club = ClubFactory(
        name="Клуб відчиненої", branch=branch_b, weekdays=[day.weekday()], starts_at_time=time(17)
    )
    Closure.objects.create(
        branch=branch_a, kind=Closure.Kind.REPAIRS, start_date=day, end_date=day + timedelta(1)
    )

    listing = client.get("/events/", {"date_from": day.isoformat(), "date_to": day.isoformat()})
    month = client.get(reverse("events:month", args=[day.year, day.month]))
    clubs = client.get(reverse("events:clubs"))

    assert "Клуб відчиненої" in listing.content.decode()
    assert "Клуб зачиненої" not in listing.content.decode()
    titles = [
        entry["title"]
        for _day, entries in sum(month.context["weeks"], [])
        for entry in entries
        if _day == day
    ]
    assert titles == [open_club.name]
    nexts = {row["club"].name: row["next"] for row in clubs.context["clubs"]}
    assert timezone.localtime(nexts["Клуб зачиненої"]).date() == day + timedelta(days=7)
    assert timezone.localtime(nexts["Клуб відчиненої"]).date() == day


def test_an_event_on_a_closed_day_needs_a_reason_stays_public_and_staff_are_warned(
    client, librarian_a, branch_a
):
    event = EventFactory(branch=branch_a, title="Захід у санітарний день")
    _network_closure(timezone.localdate(event.starts_at))
    client.force_login(librarian_a)

    refused = client.post(change_url(event), _change_form_data(event))
    saved = client.post(
        change_url(event),
        _change_form_data(event, closed_day_reason="Чергує бібліотекар, вхід з подвірʼя"),
        follow=True,
    )
    listing = client.get(EVENTS)

    assert refused.status_code == 200
    assert "поясніть, чому він відбудеться попри це" in refused.content.decode()
    assert "бібліотека в цей час зачинена (Санітарний день)" in saved.content.decode()
    assert "Санітарний день — пояснено" in listing.content.decode()
    assert "Захід у санітарний день" in client.get("/events/").content.decode()
