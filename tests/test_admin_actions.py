"""Every custom admin action says which permission it needs, so that a view-only user is
never offered (and cannot post) an action that changes data."""

import pytest
from django.contrib import admin


def custom_actions():
    for model, model_admin in admin.site._registry.items():
        for func, name, _description in model_admin._get_base_actions():
            if name != "delete_selected":
                yield f"{model._meta.label}.{name}", func


def test_the_admin_has_custom_actions_to_check():
    assert len(list(custom_actions())) >= 10


@pytest.mark.parametrize(
    ("name", "func"), [pytest.param(name, func, id=name) for name, func in custom_actions()]
)
def test_every_custom_admin_action_declares_its_permissions(name, func):
    assert getattr(func, "allowed_permissions", ()), f"{name} declares no permissions"
