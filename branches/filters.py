import re

import django_filters
import translitua
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Branch, Service, Specialization


class BranchFilter(django_filters.FilterSet):
    """Filters shared by the branches page and the API."""

    q = django_filters.CharFilter(
        label=_("Назва або адреса"), method="filter_text", help_text=_("Наприклад: Волі")
    )
    service = django_filters.ModelChoiceFilter(
        label=_("Послуга"),
        queryset=Service.objects.all(),
        to_field_name="slug",
        field_name="services",
        empty_label=_("Будь-яка"),
    )
    audience = django_filters.ModelChoiceFilter(
        label=_("Для кого"),
        queryset=Specialization.objects.filter(axis=Specialization.Axis.AUDIENCE),
        to_field_name="slug",
        field_name="specializations",
        empty_label=_("Для всіх"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Тип бібліотеки"), choices=Branch.Kind.choices, empty_label=_("Усі")
    )
    open_now = django_filters.BooleanFilter(
        label=_("Відчинено зараз"),
        method="filter_open_now",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = Branch
        fields = ["q", "service", "audience", "kind", "open_now"]

    def filter_text(self, queryset, name, value):
        words = search_words(value)
        latin = None
        for word in words:
            condition = (
                Q(name_uk__icontains=word)
                | Q(name_en__icontains=word)
                | Q(address_uk__icontains=word)
                | Q(address_en__icontains=word)
            )
            if LATIN.search(word):
                # «Kovelska»: Ukrainian names and streets as they are spelt in Latin letters.
                if latin is None:
                    latin = [
                        (pk, transliterated(" ".join(text or "" for text in texts)))
                        for pk, *texts in Branch.objects.values_list("pk", "name_uk", "address_uk")
                    ]
                condition |= Q(pk__in=[pk for pk, text in latin if word.lower() in text])
            queryset = queryset.filter(condition)
        return queryset

    def filter_open_now(self, queryset, name, value):
        if value is None:
            return queryset
        open_ids = Branch.objects.open_at(timezone.now()).values("pk")
        return queryset.filter(pk__in=open_ids) if value else queryset.exclude(pk__in=open_ids)


LATIN = re.compile(r"[A-Za-z]")
# «№5», «№ 5», «N5», «No. 5», «#5» → «5»: the number sign is written many ways, the number
# is what names the library.
NUMBER_SIGN = re.compile(r"(?:№|\bN[oO]?\.?|#)\s*(\d+)")


def search_words(value):
    words = NUMBER_SIGN.sub(r" \1 ", value).replace(",", " ").split()
    return [word for word in words if word not in ("№", "#")]


def transliterated(text):
    """Lower-case KMU 2010 transliteration, apostrophes and soft signs dropped as it does."""
    return translitua.translit(text).lower()
