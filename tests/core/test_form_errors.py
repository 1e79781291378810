"""A form's errors read as Ukrainian: Django's own «Зробить коректний вибір» and its
untranslated messages are rephrased in the project catalogue (entries «Django forms»)."""

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from branches.models import Branch
from tests.volunteers.test_pages import application_data

pytestmark = pytest.mark.django_db

DJANGO_UNGRAMMATICAL = ["Зробить", "коректний вибір", "is not a valid", "не менш ніж", "цифер"]


def errors_of(response, field):
    return [str(error) for error in response.context["form"].errors.get(field, [])]


def test_a_wrong_choice_in_a_public_form_says_choose_a_right_one(client, branch_a):
    data = application_data(branch_a, interests=["events", "juggling"], other_branches=["abc"])
    data["branch"] = "999999"

    response = client.post(reverse("volunteers:apply"), data)
    page = response.content.decode()

    assert response.status_code == 400  # the form again, with what was typed
    assert errors_of(response, "interests") == [
        "Виберіть правильний варіант: «juggling» немає серед доступних."
    ]
    assert errors_of(response, "branch") == [
        "Виберіть правильний варіант: такого немає серед доступних."
    ]
    assert errors_of(response, "other_branches") == ["«abc» — неправильне значення."]
    assert 'value="Марія Коваль"' in page
    assert [phrase for phrase in DJANGO_UNGRAMMATICAL if phrase in page] == []


class Sample(forms.Form):
    code = forms.CharField(min_length=3, max_length=5)
    amount = forms.DecimalField(max_digits=4, decimal_places=1)
    branch = forms.ModelChoiceField(queryset=Branch.objects.all(), to_field_name="slug")


@pytest.mark.parametrize(
    ("data", "field", "expected"),
    [
        ({"code": "ab"}, "code", "Потрібно щонайменше 3 символи (зараз 2)."),
        ({"code": "abcdefghijklmnopqrstu"}, "code", "Можна щонайбільше 5 символів (зараз 21)."),
        ({"amount": "12345"}, "amount", "Можна щонайбільше 4 цифри."),
        ({"amount": "1.25"}, "amount", "Після коми можна щонайбільше 1 цифру."),
        ({}, "code", "Це поле обов'язкове."),
    ],
)
def test_length_and_digit_limits_count_in_ukrainian_grammar(data, field, expected):
    with translation.override("uk"):
        form = Sample(data)
        assert form.errors[field] == [expected]


def test_a_duplicate_names_the_field_in_the_nominative(branch_a):
    from django.forms import modelform_factory

    BranchForm = modelform_factory(Branch, fields=["slug"])
    with translation.override("uk"):
        form = BranchForm({"slug": branch_a.slug})
        message = form.errors["slug"][0]

    assert message == "Бібліотека з таким значенням поля «Код» уже є."
