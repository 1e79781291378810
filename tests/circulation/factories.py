import itertools

import factory
from django.utils import timezone

from accounts.models import ReaderProfile
from circulation.models import LoanPolicy
from tests.factories import UserFactory

_cards = itertools.count(5000)


def make_reader_profile(
    *, branch, category=ReaderProfile.Category.ADULT, keeps_reading_history=False, username=None
) -> ReaderProfile:
    """A reader of `branch` with a valid card number of their own."""
    sequence = next(_cards)
    user = UserFactory(username=username or f"reader{sequence}")
    return ReaderProfile.objects.create(
        user=user,
        card_number=ReaderProfile.card_number_for(sequence),
        home_branch=branch,
        category=category,
        consent_given_at=timezone.now(),
        keeps_reading_history=keeps_reading_history,
    )


class LoanPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LoanPolicy

    name = factory.Sequence(lambda n: f"Правило {n}")
