import random

import pytest
from django.core.management import call_command

from tests.volunteers.factories import OpportunityFactory
from volunteers import demo, stats
from volunteers.models import Application, DeliveryRequest, HoursEntry, Opportunity

pytestmark = pytest.mark.django_db


def test_demo_seed_makes_applicants_in_every_state_and_runs_only_once(db):
    made = demo.seed(rng=random.Random(5))
    assert made > 0
    assert set(Application.objects.values_list("status", flat=True)) == set(
        Application.Status.values
    )
    assert HoursEntry.objects.approved().exists()
    assert set(DeliveryRequest.objects.values_list("status", flat=True)) >= {"new", "delivered"}
    assert not Application.objects.filter(is_demo=False).exists()
    assert all(o.taken <= o.places for o in Opportunity.objects.all())
    assert demo.seed(rng=random.Random(5)) == 0


def test_demo_seed_gives_the_dashboards_numbers(db):
    demo.seed(rng=random.Random(5))
    years = range(2020, 2031)
    assert sum(stats.hours(years=years).values()) > 0
    assert any(key[0] is None for key in stats.active(years=years))


def test_api_lists_open_opportunities_without_personal_data(client, branch_a):
    OpportunityFactory(branch=branch_a, title="Ремонт книг", places=3)
    OpportunityFactory(branch=branch_a, is_published=False, title="Чернетка")
    response = client.get("/api/v1/volunteer-opportunities/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [row["title"] for row in results] == ["Ремонт книг"]
    assert results[0]["branch"] == branch_a.slug
    assert results[0]["places_left"] == 3
    assert "signups" not in results[0]


def test_api_filters_opportunities_by_library(client, branch_a, branch_b):
    OpportunityFactory(branch=branch_a, title="А")
    OpportunityFactory(branch=branch_b, title="Б")
    response = client.get(f"/api/v1/volunteer-opportunities/?branch={branch_b.slug}")
    assert [row["title"] for row in response.json()["results"]] == ["Б"]


def test_api_schema_has_the_opportunities_and_no_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(target))
    assert "/api/v1/volunteer-opportunities/" in target.read_text()
