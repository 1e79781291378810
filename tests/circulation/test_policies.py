"""Loan policies: the most specific rule wins (Koha's order), seeded from the Типові правила."""

import pytest
from django.db import IntegrityError

from accounts.models import ReaderProfile
from catalog.models import Record
from circulation.models import LoanPolicy
from tests.circulation.factories import LoanPolicyFactory

pytestmark = pytest.mark.django_db

CHILD = ReaderProfile.Category.CHILD
ADULT = ReaderProfile.Category.ADULT
BOOK = Record.MaterialType.BOOK
PERIODICAL = Record.MaterialType.PERIODICAL


def test_the_seeded_default_lends_five_documents_for_thirty_days():
    policy = LoanPolicy.objects.for_(branch=None, category=ADULT, material_type=BOOK)

    assert (policy.max_items, policy.loan_days, policy.lends) == (5, 30, True)


def test_periodicals_and_new_arrivals_go_out_for_fifteen_days():
    periodical = LoanPolicy.objects.for_(category=ADULT, material_type=PERIODICAL)
    new_book = LoanPolicy.objects.for_(category=ADULT, material_type=BOOK, loan_class="new")

    assert periodical.loan_days == 15
    assert new_book.loan_days == 15


def test_local_lore_documents_are_not_lent_or_reserved():
    policy = LoanPolicy.objects.for_(category=ADULT, material_type=Record.MaterialType.LOCAL_LORE)

    assert not policy.lends
    assert not policy.holds_allowed


def test_each_more_specific_rule_wins_over_the_ones_below_it_in_kochas_order(branch_a):
    LoanPolicy.objects.all().delete()
    rules = {
        "default": {},
        "type": {"material_type": BOOK},
        "category": {"reader_category": CHILD},
        "category+type": {"reader_category": CHILD, "material_type": BOOK},
        "library": {"branch": branch_a},
        "library+type": {"branch": branch_a, "material_type": BOOK},
        "library+category": {"branch": branch_a, "reader_category": CHILD},
        "library+category+type": {
            "branch": branch_a,
            "reader_category": CHILD,
            "material_type": BOOK,
        },
    }
    for name, scope in rules.items():
        LoanPolicyFactory(name=name, **scope)

    # Remove the winner each time: the next one in Koha's order must answer.
    for expected in reversed(list(rules)):
        found = LoanPolicy.objects.for_(branch=branch_a, category=CHILD, material_type=BOOK)
        assert found.name == expected
        found.delete()


def test_a_rule_of_another_library_category_or_type_never_applies(branch_a, branch_b):
    LoanPolicyFactory(name="B", branch=branch_b, loan_days=7)
    LoanPolicyFactory(name="Дорослим аудіо", reader_category=ADULT, material_type="audio")

    found = LoanPolicy.objects.for_(branch=branch_a, category=CHILD, material_type=BOOK)

    assert found.name == "Діти"


def test_finding_the_rule_takes_one_query(branch_a, django_assert_num_queries):
    with django_assert_num_queries(1):
        LoanPolicy.objects.for_(branch=branch_a, category=CHILD, material_type=BOOK)


def test_with_no_rules_at_all_the_model_defaults_answer():
    LoanPolicy.objects.all().delete()

    policy = LoanPolicy.objects.for_(category=ADULT, material_type=BOOK)

    assert (policy.max_items, policy.loan_days, policy.pk) == (5, 30, None)


def test_two_network_wide_rules_for_the_same_scope_cannot_exist():
    with pytest.raises(IntegrityError):
        LoanPolicyFactory(name="Другий типовий")  # the seeded default has the same blank scope
