"""Ukrainian first, English second: texts of models that have an English version.

Models register their texts with django-modeltranslation (`<app>/translation.py`): the columns
`<field>_uk` and `<field>_en`, and `obj.<field>` reads the active language, falling back to
Ukrainian. A page in English that shows such a Ukrainian fallback marks the text `lang="uk"`
(`is_untranslated`) and says so once (`collect_untranslated` around the page's main content).
"""

import contextlib
import contextvars

from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

DEFAULT_LANGUAGE = settings.LANGUAGE_CODE
LANGUAGE_WORDS = {"uk": _("українською"), "en": _("англійською")}

# The fallbacks seen while the current page's main content renders (None outside one).
_page_fallbacks: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "untranslated_on_page", default=None
)


def localized(obj, field: str):
    """`obj.<field>_en` in English when it is filled in, else the Ukrainian `obj.<field>`: for
    models whose English columns are their own (not registered with modeltranslation)."""
    if get_language() == "en":
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)


def translation_field_label(verbose_name, language: str):
    """The admin label of one language's field: «назва (англійською)»."""
    return format_lazy("{} ({})", verbose_name, LANGUAGE_WORDS.get(language, language))


def is_untranslated(obj, field: str) -> bool:
    """True when the page is not in Ukrainian and `obj.<field>` shows the Ukrainian text
    because the page's language has none. Notes it for the page's notice."""
    language = (get_language() or DEFAULT_LANGUAGE).split("-")[0]
    if obj is None or language == DEFAULT_LANGUAGE:
        return False
    if getattr(obj, f"{field}_{language}", None) or not getattr(obj, field, None):
        return False
    fallbacks = _page_fallbacks.get()
    if fallbacks is not None:
        fallbacks.append((obj, field))
    return True


@contextlib.contextmanager
def collect_untranslated():
    """Collects the fallbacks of what renders inside; yields the list they are added to."""
    fallbacks: list = []
    token = _page_fallbacks.set(fallbacks)
    try:
        yield fallbacks
    finally:
        _page_fallbacks.reset(token)


def translations_migration(app_label: str, fields: dict[str, tuple[str, ...]], *, had_english=()):
    """The data migration that starts a model's translation fields (django-modeltranslation).

    Forward: the Ukrainian text of each field is copied into `<field>_uk`. English versions typed
    before into hand-written `<field>_en` columns (listed in `had_english` as "model.field") stay
    where they are: the translation field `<field>_en` took over their column.
    Back: `<field>_uk` goes into the field (it may have been edited since), and an English version
    left NULL becomes "" again, as the hand-written column had it."""
    from django.db import migrations
    from django.db.models import F
    from django.db.models.functions import Coalesce

    def forward(apps, schema_editor):
        for model_name, names in fields.items():
            model = apps.get_model(app_label, model_name)
            model._base_manager.update(**{f"{name}_uk": F(name) for name in names})

    def backward(apps, schema_editor):
        for model_name, names in fields.items():
            model = apps.get_model(app_label, model_name)
            model._base_manager.update(**{name: Coalesce(f"{name}_uk", F(name)) for name in names})
            for name in names:
                if f"{model_name}.{name}" in had_english:
                    model._base_manager.filter(**{f"{name}_en__isnull": True}).update(
                        **{f"{name}_en": ""}
                    )

    return migrations.RunPython(forward, backward)
