"""What every app's read API shares, so that each answer matches the published schema and
speaks Ukrainian: page numbers, strict filters and error answers. The schema generator is in
core/openapi.py and the base viewset in core/viewsets.py: DRF imports the classes its settings
name while it loads its views, so this module must not import them.

The API has no English address (it lives outside the /en/ prefix), so its messages follow the
site's default language; none of them is left in Django's or DRF's English.
"""

import math
from datetime import timedelta

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, pagination, serializers
from rest_framework.views import exception_handler as drf_exception_handler

# PostgreSQL keeps UTC offsets within ±15:59; Python accepts up to ±23:59.
MAX_UTC_OFFSET = timedelta(hours=16)


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages numbered from 1: a number that is not one is a bad request (400), a page past the
    last one does not exist (404)."""

    last_page_strings = ()
    invalid_page_message = _("Такої сторінки немає.")

    def paginate_queryset(self, queryset, request, view=None):
        value = request.query_params.get(self.page_query_param)
        if value is not None and not (value.isascii() and value.isdigit() and int(value) >= 1):
            raise exceptions.ValidationError(
                {self.page_query_param: [_("Номер сторінки — ціле число від 1.")]}
            )
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters


class FilterBackend(DjangoFilterBackend):
    """django-filter, stricter: a parameter given with an empty or unreadable value is refused
    rather than quietly ignored, so a client learns that `?kind=` filtered nothing. Free-text
    filters may still be empty."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            errors = {}
            for name, filter_ in filterset_class.base_filters.items():
                for value in request.query_params.getlist(name):
                    message = _refusal(filter_, value)
                    if message:
                        errors[name] = [message]
            if errors:
                raise exceptions.ValidationError(errors)
        return super().filter_queryset(request, queryset, view)


def _refusal(filter_, value):
    if isinstance(filter_, django_filters.BooleanFilter):
        if value not in ("true", "false"):
            return _("Вкажіть true або false.")
    elif value == "" and not isinstance(filter_, django_filters.CharFilter):
        return _("Порожнє значення: вкажіть значення або приберіть параметр.")
    return None


class QueryParams(serializers.Serializer):
    """Query parameters read by a serializer. DRF takes an empty value of an optional form field
    for an absent one; here `?sort=` is refused like `?kind=` (only free text may be empty)."""

    def to_internal_value(self, data):
        def values(name):
            return data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]

        errors = {
            name: [_("Порожнє значення: вкажіть значення або приберіть параметр.")]
            for name, field in self.fields.items()
            if name in data and "" in values(name) and not getattr(field, "allow_blank", False)
        }
        if errors:
            raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class IsoDateTimeField(django_filters.fields.IsoDateTimeField):
    def to_python(self, value):
        moment = super().to_python(value)
        offset = moment.utcoffset() if moment is not None else None
        if offset is not None and abs(offset) >= MAX_UTC_OFFSET:
            raise DjangoValidationError(
                _("Зсув від UTC має бути меншим за 16 годин, наприклад +02:00 або Z."),
                code="offset",
            )
        return moment


@extend_schema_field(
    {
        "type": "string",
        "format": "date-time",
        # The offset the database can store, so that the schema promises only what is served.
        "pattern": r"([Zz]|[+-](0[0-9]|1[0-5]):?[0-5][0-9])$",
        "example": "2026-05-01T10:00:00+03:00",
    }
)
class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 moment with an offset the database can store."""

    field_class = IsoDateTimeField


def exception_handler(exc, context):
    """DRF's handler, with two English sentences put into the site's language: Django's
    "No Club matches the given query." (which also names a model) becomes DRF's «Не знайдено.»,
    and the throttle's wait, which DRF leaves untranslated, is said in words."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        seconds = math.ceil(exc.wait)
        exc.detail = exceptions.ErrorDetail(
            ngettext(
                "Забагато запитів. Спробуйте ще раз через %(seconds)s секунду.",
                "Забагато запитів. Спробуйте ще раз через %(seconds)s секунд.",
                seconds,
            )
            % {"seconds": seconds},
            code="throttled",
        )
    return drf_exception_handler(exc, context)


class UkrainianTextField(serializers.CharField):
    """The Ukrainian text of a translated field (`<name>_uk`, django-modeltranslation) whatever
    language the request asks for, "" when there is none; the English one is `<name>_en`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return getattr(instance, f"{self.source}_uk", None) or ""


class EnglishTextField(serializers.CharField):
    """The English text of a model whose English columns are its own (`<name>_en`, not
    django-modeltranslation's): null when there is none, as modeltranslation's are."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return getattr(instance, self.source, None) or None
