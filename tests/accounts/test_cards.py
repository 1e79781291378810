"""Library card numbers: ten digits, the last one a Luhn check digit, as printed on cards."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from accounts.models import ReaderProfile, validate_card_number
from tests.factories import UserFactory

CARD_MESSAGE = "Номер читацького квитка — 10 цифр з контрольною цифрою наприкінці."


def luhn_ok(number: str) -> bool:
    """The Luhn check written out, independent of the library the app uses."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


@pytest.mark.parametrize("sequence", [0, 1, 42, 1234, 99_999, 123_456_789, 999_999_999])
def test_card_number_is_ten_digits_with_a_valid_check_digit(sequence):
    number = ReaderProfile.card_number_for(sequence)

    assert len(number) == 10
    assert number.isdigit()
    assert luhn_ok(number)
    assert int(number[:9]) == sequence


def test_first_card_number_is_the_known_one():
    # 000000001 → doubling the last digit gives 2, so the check digit is 8.
    assert ReaderProfile.card_number_for(1) == "0000000018"


def test_consecutive_readers_get_different_card_numbers():
    numbers = {ReaderProfile.card_number_for(n) for n in range(1, 1001)}

    assert len(numbers) == 1000


def test_valid_card_number_passes_validation():
    validate_card_number(ReaderProfile.card_number_for(4711))


def test_card_number_with_a_wrong_check_digit_is_refused_in_ukrainian():
    good = ReaderProfile.card_number_for(4711)
    wrong = good[:9] + str((int(good[9]) + 1) % 10)

    with translation.override("uk"), pytest.raises(ValidationError) as caught:
        validate_card_number(wrong)

    assert caught.value.messages == [CARD_MESSAGE]
    assert caught.value.error_list[0].code == "invalid_card_number"


def test_one_mistyped_digit_is_caught():
    good = ReaderProfile.card_number_for(4711)
    typo = good[:3] + str((int(good[3]) + 1) % 10) + good[4:]

    with pytest.raises(ValidationError):
        validate_card_number(typo)


@pytest.mark.parametrize(
    "value", ["", "000000001", "00000000188", "00000000I8", "0000 00018", "-000000018"]
)
def test_card_number_of_the_wrong_shape_is_refused(value):
    with pytest.raises(ValidationError):
        validate_card_number(value)


def test_reader_profile_with_a_bad_card_number_does_not_pass_form_validation(branch_a):
    profile = ReaderProfile(
        user=UserFactory(),
        card_number="0000000019",
        home_branch=branch_a,
        category=ReaderProfile.Category.ADULT,
        consent_given_at=timezone.now(),
    )

    with translation.override("uk"), pytest.raises(ValidationError) as caught:
        profile.full_clean()

    assert caught.value.message_dict["card_number"] == [CARD_MESSAGE]


def test_two_readers_cannot_share_a_card_number(reader, branch_b):
    with transaction.atomic(), pytest.raises(IntegrityError):
        ReaderProfile.objects.create(
            user=UserFactory(),
            card_number=reader.reader_profile.card_number,
            home_branch=branch_b,
            category=ReaderProfile.Category.SENIOR,
            consent_given_at=timezone.now(),
        )


def test_reader_profile_names_the_card_and_the_reader(reader):
    assert str(reader.reader_profile) == f"0000000018 — {reader.get_full_name()}"
