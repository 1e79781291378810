"""The slot and booking rules a citizen meets, on the models; bookings leave the admin only
through «Скасувати й повідомити»."""

from datetime import timedelta

import pytest
from django.utils import timezone

from branches.models import Closure
from egov.models import Booking
from tests.egov.factories import BookingFactory, SlotFactory

pytestmark = pytest.mark.django_db


def test_a_free_published_future_slot_is_bookable(branch_a):
    slot = SlotFactory(branch=branch_a)

    assert slot.is_bookable(timezone.now())


def test_a_slot_is_not_bookable_once_held_started_unpublished_or_on_a_closed_day(branch_a):
    held = SlotFactory(branch=branch_a)
    BookingFactory(slot=held)
    started = SlotFactory(branch=branch_a)
    hidden = SlotFactory(branch=branch_a, is_published=False)
    closed = SlotFactory(branch=branch_a)
    Closure.objects.create(
        branch=branch_a,
        start_date=closed.local_day,
        end_date=closed.local_day,
        kind=Closure.Kind.SANITARY,
    )
    # Fresh from the database: the library's closures are read once per instance.
    closed = type(closed).objects.select_related("branch").get(pk=closed.pk)

    assert not held.is_bookable(timezone.now())
    assert not started.is_bookable(started.starts_at + timedelta(minutes=1))
    assert not hidden.is_bookable(timezone.now())
    assert not closed.is_bookable(timezone.now())


def test_a_cancelled_booking_frees_the_slot_and_cannot_be_cancelled_again(branch_a):
    booking = BookingFactory(slot=SlotFactory(branch=branch_a))

    assert booking.can_be_cancelled(timezone.now())
    booking.status = Booking.Status.CANCELLED
    booking.save()

    assert not booking.can_be_cancelled(timezone.now())
    assert booking.slot.is_bookable(timezone.now())


def test_staff_are_not_offered_to_delete_a_booking(client, branch_head_a, branch_a):
    booking = BookingFactory(slot=SlotFactory(branch=branch_a))
    client.force_login(branch_head_a)

    response = client.get(f"/admin/egov/booking/{booking.pk}/delete/")

    assert response.status_code == 403
    assert Booking.objects.filter(pk=booking.pk).exists()
