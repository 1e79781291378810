"""The API answers what its published schema (/api/schema/) says, whatever it is asked.

Schemathesis reads the schema from the Django app through WSGI (no server), then for every
operation sends examples, boundary values, wrong values and random ones, and checks each answer:
no server error, every status and body documented, valid input accepted and invalid refused.
"""

from datetime import time

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.throttling import AnonRateThrottle

from branches.models import PaidService
from lutsk_cbs.wsgi import application
from tests.catalog.factories import ItemFactory, RecordFactory
from tests.digital.factories import DigitalDocumentFactory, DigitalPageFactory
from tests.egov.factories import GuideFactory, SlotFactory
from tests.events.factories import ClubFactory, EventFactory
from tests.lore.factories import FigureFactory, PlaceFactory
from tests.news.factories import NewsItemFactory
from tests.reference.factories import QuestionFactory
from tests.spaces.factories import ResourceFactory
from tests.volunteers.factories import OpportunityFactory

# Read at import, before any test: the schema needs no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def api_data(db, network, monkeypatch):
    """One object of each kind, so that lists have rows whose shape is checked too."""
    # Thousands of requests from one address: the real throttle would answer 429 to most.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "1000000/minute"})
    # Requests come through the WSGI handler, not Django's test client, so the handler's
    # end-of-request would close the connection that holds the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    objects = {
        "event": EventFactory(branch=network["a"]),
        "club": ClubFactory(slug="chess", branch=network["a"], starts_at_time=time(17, 30)),
        "guide": GuideFactory(slug="diia-signature"),
        "slot": SlotFactory(branch=network["a"]),
        "record": ItemFactory(record=RecordFactory(), branch=network["a"]).record,
        "opportunity": OpportunityFactory(branch=network["a"]),
        "news_item": NewsItemFactory(branch=network["a"]),
        "answer": QuestionFactory(branch=network["a"], published=True),
        "person": FigureFactory(slug="lesya-ukrainka", is_local_writer=True),
        "place": PlaceFactory(slug="castle"),
        "document": DigitalPageFactory(
            document=DigitalDocumentFactory(branch=network["a"])
        ).document,
        "space": ResourceFactory(branch=network["a"]),
        "paid_service": PaidService.objects.create(branch=network["a"], name="Друк", price=2),
        "branch": network["a"],
    }
    # Works by and about the local-lore person and place, so that their lists have a row.
    objects["person"].works.add(objects["record"])
    objects["place"].records_about.add(objects["record"])
    yield objects
    request_finished.connect(close_old_connections)
    request_started.connect(close_old_connections)


@schema.parametrize()
# A fixed sequence of examples: CI fails for a change in the code, never for a new draw.
@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_its_schema_says(case, api_data):
    case.call_and_validate()


DETAILS = {
    "/api/v1/branches/{slug}/": ("slug", lambda objects: objects["branch"].slug),
    "/api/v1/clubs/{slug}/": ("slug", lambda objects: objects["club"].slug),
    "/api/v1/digital-documents/{id}/": ("id", lambda objects: objects["document"].pk),
    "/api/v1/egov-guides/{slug}/": ("slug", lambda objects: objects["guide"].slug),
    "/api/v1/egov-slots/{id}/": ("id", lambda objects: objects["slot"].pk),
    "/api/v1/events/{id}/": ("id", lambda objects: objects["event"].pk),
    "/api/v1/lore-people/{slug}/": ("slug", lambda objects: objects["person"].slug),
    "/api/v1/lore-places/{slug}/": ("slug", lambda objects: objects["place"].slug),
    "/api/v1/news/{id}/": ("id", lambda objects: objects["news_item"].pk),
    "/api/v1/paid-services/{id}/": ("id", lambda objects: objects["paid_service"].pk),
    "/api/v1/records/{id}/": ("id", lambda objects: objects["record"].pk),
    "/api/v1/reference-answers/{id}/": ("id", lambda objects: objects["answer"].pk),
    "/api/v1/spaces/{id}/": ("id", lambda objects: objects["space"].pk),
    "/api/v1/volunteer-opportunities/{id}/": ("id", lambda objects: objects["opportunity"].pk),
}


@pytest.mark.parametrize("path", DETAILS)
def test_an_existing_object_is_answered_as_the_schema_says(api_data, path):
    # Random identifiers almost never name a real object; these do.
    name, value = DETAILS[path]
    case = schema[path]["GET"].Case(path_parameters={name: value(api_data)})

    response = case.call_and_validate()

    assert response.status_code == 200
