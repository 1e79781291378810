"""Every status workflow has the same shape: one TRANSITIONS table on the model, asked through
`can_transition_to` and `transition_check` by the services."""

import pytest
from django.core.exceptions import ValidationError

from branches.models import TourRequest
from catalog.models import Item
from circulation.models import Hold
from egov.models import HelpRequest
from events.models import Event
from strategy.models import Milestone
from volunteers.models import Application, DeliveryRequest

WORKFLOWS = [Event, Application, DeliveryRequest, HelpRequest, Milestone, Item, Hold, TourRequest]


@pytest.mark.parametrize("model", WORKFLOWS, ids=lambda model: model.__name__)
def test_the_transition_table_names_every_status_and_only_real_ones(model):
    statuses = set(model.Status)

    assert set(model.TRANSITIONS) == statuses
    assert all(targets <= statuses for targets in model.TRANSITIONS.values())


@pytest.mark.parametrize("model", WORKFLOWS, ids=lambda model: model.__name__)
def test_a_move_the_table_does_not_allow_is_refused_in_ukrainian(model):
    status, stuck = next(
        (status, set(model.Status) - targets - {status})
        for status, targets in model.TRANSITIONS.items()
        if set(model.Status) - targets - {status}
    )
    target = sorted(stuck)[0]
    instance = model(status=status)

    assert not instance.can_transition_to(target)
    with pytest.raises(ValidationError) as refusal:
        instance.transition_check(target)
    assert refusal.value.code == "invalid_transition"
    assert str(model.Status(status).label) in refusal.value.message
    assert str(model.Status(target).label) in refusal.value.message


@pytest.mark.parametrize("model", WORKFLOWS, ids=lambda model: model.__name__)
def test_a_move_the_table_allows_passes_the_check(model):
    status, targets = next((s, t) for s, t in model.TRANSITIONS.items() if t)
    instance = model(status=status)

    for target in targets:
        assert instance.can_transition_to(target)
        instance.transition_check(target)


def test_saving_an_edited_event_checks_its_status_move_in_the_service(db, branch_a):
    from events.services import event_save
    from tests.events.factories import EventFactory

    event = EventFactory(branch=branch_a, status=Event.Status.HELD)
    event.status = Event.Status.PUBLISHED

    with pytest.raises(ValidationError, match="Не можна змінити стан"):
        event_save(event=event)
    assert Event.objects.get(pk=event.pk).status == Event.Status.HELD
