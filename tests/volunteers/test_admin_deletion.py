"""An opportunity volunteers signed up for is not deleted from under them."""

import pytest

from tests.volunteers.factories import ApplicationFactory, OpportunityFactory
from volunteers.models import Opportunity
from volunteers.services import opportunity_sign_up

pytestmark = pytest.mark.django_db

OPPORTUNITIES = "/admin/volunteers/opportunity/"


def test_an_opportunity_with_sign_ups_is_not_deleted_and_the_page_names_who_signed_up(
    client, librarian_a, branch_a
):
    opportunity = OpportunityFactory(branch=branch_a, is_published=True)
    volunteer = ApplicationFactory(branch=branch_a, active=True, name="Оксана Волонтерка")
    opportunity_sign_up(opportunity=opportunity, volunteer=volunteer)
    client.force_login(librarian_a)

    page = client.get(f"{OPPORTUNITIES}{opportunity.pk}/delete/")
    client.post(f"{OPPORTUNITIES}{opportunity.pk}/delete/", {"post": "yes"})

    assert "Оксана Волонтерка" in page.content.decode()
    assert Opportunity.objects.get(pk=opportunity.pk).taken == 1


def test_an_opportunity_nobody_signed_up_for_can_be_deleted(client, librarian_a, branch_a):
    opportunity = OpportunityFactory(branch=branch_a)
    client.force_login(librarian_a)

    client.post(f"{OPPORTUNITIES}{opportunity.pk}/delete/", {"post": "yes"})

    assert not Opportunity.objects.filter(pk=opportunity.pk).exists()
