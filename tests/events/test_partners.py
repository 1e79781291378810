"""The partners register (plan direction 9): kind, agreement, contact person seen only by
staff of the libraries working with the partner, joint events, and the indicators."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.retention import personal_data_anonymise
from core.tz import KYIV
from events import stats
from events.models import Event, Partner
from tests.events.factories import EventFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def museum(**fields):
    values = {
        "name": "Волинський краєзнавчий музей",
        "kind": Partner.Kind.MUSEUM,
        "agreement_number": "12/2019",
        "agreement_date": date(2019, 3, 1),
        "agreement_valid_until": date(2020, 2, 28),
        "contact_name": "Оксана Мельник",
        "contact_phone": "+380332700001",
        "contact_email": "museum@example.org",
    }
    return PartnerFactory(**{**values, **fields})


def held(branch, year, *partners, month=5):
    event = EventFactory(
        branch=branch,
        starts_at=datetime(year, month, 10, 12, tzinfo=KYIV),
        status=Event.Status.HELD,
    )
    event.partners.set(partners)
    return event


def test_partners_with_an_agreement_in_force_count_per_library_and_once_in_the_network(
    branch_a, branch_b
):
    both = museum()
    both.branches.set([branch_a, branch_b])
    open_ended = museum(
        name="Університет", agreement_date=date(2020, 6, 1), agreement_valid_until=None
    )
    open_ended.branches.set([branch_a])
    without = museum(name="Без угоди", agreement_date=None, agreement_valid_until=None)
    without.branches.set([branch_a])

    assert stats.partners_with_agreement(years=[2018, 2019, 2020, 2021]) == {
        (branch_a.pk, 2019): 1,
        (branch_b.pk, 2019): 1,
        (None, 2019): 1,
        (branch_a.pk, 2020): 2,
        (branch_b.pk, 2020): 1,
        (None, 2020): 2,
        (branch_a.pk, 2021): 1,
        (None, 2021): 1,
    }
    assert stats.partners_with_agreement(years=[2020], branch_ids=[branch_b.pk]) == {
        (branch_b.pk, 2020): 1,
        (None, 2020): 1,
    }


def test_joint_events_are_held_events_with_a_partner(branch_a, branch_b):
    partner = museum()
    held(branch_a, 2020, partner)
    held(branch_a, 2020, partner, museum(name="Школа № 1"))
    held(branch_a, 2020)  # no partner
    held(branch_b, 2021, partner)
    EventFactory(branch=branch_a, starts_at=datetime(2020, 6, 1, 12, tzinfo=KYIV)).partners.add(
        partner
    )  # published, not held
    assert stats.joint_events(years=[2020, 2021]) == {
        (branch_a.pk, 2020): 2,
        (branch_b.pk, 2021): 1,
    }


def test_the_partners_admin_page_lists_its_joint_events_by_year(client, methodologist, branch_a):
    partner = museum()
    held(branch_a, 2019, partner)
    held(branch_a, 2020, partner)
    held(branch_a, 2020, partner, month=9)
    client.force_login(methodologist)
    page = client.get(reverse("admin:events_partner_change", args=[partner.pk])).content.decode()
    assert "2020: 2 проведені" in page and "2019: 1 проведений" in page
    listing = client.get(reverse("admin:events_partner_changelist")).content.decode()
    assert "закінчилася 28.02.2020" in listing


def test_a_librarian_sees_contacts_only_of_partners_of_their_library(
    client, branch_a, branch_b, librarian_a
):
    ours = museum()
    ours.branches.set([branch_a])
    theirs = museum(name="Чужий партнер", contact_name="Тарас Чужий")
    theirs.branches.set([branch_b])
    joint = museum(name="Партнер заходу", contact_name="Ганна Спільна")
    joint.branches.set([branch_b])
    held(branch_a, 2020, joint)

    client.force_login(librarian_a)
    listing = client.get(reverse("admin:events_partner_changelist")).content.decode()
    assert "Волинський краєзнавчий музей" in listing and "Партнер заходу" in listing
    assert "Чужий партнер" not in listing
    page = client.get(reverse("admin:events_partner_change", args=[ours.pk])).content.decode()
    assert "Оксана Мельник" in page
    # A partner of another library that held an event here: the organisation, not its contact.
    page = client.get(reverse("admin:events_partner_change", args=[joint.pk])).content.decode()
    assert "Партнер заходу" in page and "Ганна Спільна" not in page
    assert client.get(reverse("admin:events_partner_change", args=[theirs.pk])).status_code == 302
    # The API gives partner names only.
    api = client.get("/api/v1/events/").content.decode()
    assert "Оксана" not in api and "museum@example.org" not in api


def test_a_librarian_adds_a_partner_for_their_library_and_keeps_others_links(
    client, branch_a, branch_b, branch_head_a
):
    client.force_login(branch_head_a)
    form = {
        "name": "Ліцей № 9",
        "kind": "school",
        "agreement_date": "2024-09-01",
        "agreement_valid_until": "2026-08-31",
        "contact_name": "Марія Директорка",
        "contact_phone": "050 123 45 67",
        "contact_email": "lyceum9@example.org",
    }
    response = client.post(reverse("admin:events_partner_add"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    partner = Partner.objects.get(name="Ліцей № 9")
    assert list(partner.branches.all()) == [branch_a]
    assert partner.contact_phone == "+380501234567"

    partner.branches.add(branch_b)
    response = client.post(
        reverse("admin:events_partner_change", args=[partner.pk]), {**form, "kind": "university"}
    )
    assert response.status_code == 302
    assert set(partner.branches.all()) == {branch_a, branch_b}


def test_bad_agreement_dates_and_junk_are_refused_with_a_message(client, methodologist):
    client.force_login(methodologist)
    url = reverse("admin:events_partner_add")
    for form in (
        {
            "name": "А",
            "kind": "ngo",
            "agreement_date": "2024-09-01",
            "agreement_valid_until": "2023-01-01",
        },
        {"name": "Б", "kind": "ngo", "agreement_valid_until": "2023-01-01"},
        {"name": "В", "kind": "ngo", "agreement_date": "9999-99-99"},
        {"name": "Г\x00", "kind": "ngo"},
        {"name": "Д", "kind": "ngo", "contact_email": "не пошта"},
    ):
        response = client.post(url, form)
        assert response.status_code == 200, form
    assert not Partner.objects.exists()


def test_contacts_of_partners_no_longer_worked_with_are_forgotten(branch_a, freeze_now):
    old = museum()
    current = museum(name="Чинна угода", agreement_valid_until=None, contact_name="Ірина Чинна")
    recent = museum(
        name="Недавній захід",
        agreement_date=None,
        agreement_valid_until=None,
        contact_name="Петро Недавній",
    )
    Partner.objects.update(updated_at=datetime(2020, 1, 1, tzinfo=KYIV))
    freeze_now(datetime(2022, 6, 1, 12, tzinfo=KYIV))
    held(branch_a, 2022, recent, month=3)

    personal_data_anonymise(days=365)

    old.refresh_from_db()
    assert (old.contact_name, old.contact_phone, old.contact_email) == ("", "", "")
    assert old.contacts_forgotten_at is not None and old.agreement_number == "12/2019"
    current.refresh_from_db()
    recent.refresh_from_db()
    assert current.contact_name == "Ірина Чинна" and recent.contact_name == "Петро Недавній"
    assert timezone.now() - old.contacts_forgotten_at < timedelta(minutes=1)
