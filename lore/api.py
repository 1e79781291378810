"""Read-only API of the local-lore index: /api/v1/lore-people/ and /api/v1/lore-places/, in
Ukrainian alphabetical order. A person's or a place's own address lists the catalogue's works by
and about them, each with its address in the records API. `register()` is called by
lutsk_cbs/api.py."""

import django_filters
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import EnglishTextField
from core.viewsets import ReadOnlyModelViewSet
from lore.models import Figure, Place

# How many works by or about one person or place a detail answer lists (the newest first);
# `count` says how many there are in all.
WORKS_LISTED = 50


class WorkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    api_url = serializers.SerializerMethodField(help_text="The record in the records API.")

    @extend_schema_field(serializers.URLField())
    def get_api_url(self, record) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("record-detail", kwargs={"pk": record.pk})
        )


class WorksSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="How many works there are in all.")
    records = WorkSerializer(many=True, help_text=f"The first {WORKS_LISTED}, newest first.")


def _works(records, context):
    """{count, records}: two queries."""
    count = records.count()
    shown = records.only("id", "title", "year").order_by("-year", "title", "pk")[:WORKS_LISTED]
    return WorksSerializer(
        {"count": count, "records": list(shown) if count else []}, context=context
    ).data


class _LoreSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    name_en = EnglishTextField()

    @extend_schema_field(serializers.URLField())
    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class PersonSerializer(_LoreSerializer):
    dates_en = EnglishTextField()
    bio_en = EnglishTextField()
    photo = serializers.SerializerMethodField()

    class Meta:
        model = Figure
        fields = [
            "slug",
            "name",
            "name_en",
            "dates",
            "dates_en",
            "bio",
            "bio_en",
            "is_local_writer",
            "photo",
            "photo_alt",
            "url",
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_photo(self, person):
        if not person.photo:
            return None
        return self.context["request"].build_absolute_uri(person.photo.url)


class PersonDetailSerializer(PersonSerializer):
    works_by = serializers.SerializerMethodField()
    works_about = serializers.SerializerMethodField()

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "works_by", "works_about"]

    @extend_schema_field(WorksSerializer)
    def get_works_by(self, person):
        return _works(person.works_by(), self.context)

    @extend_schema_field(WorksSerializer)
    def get_works_about(self, person):
        return _works(person.works_about(), self.context)


class PlaceSerializer(_LoreSerializer):
    description_en = EnglishTextField()

    class Meta:
        model = Place
        fields = ["slug", "name", "name_en", "kind", "description", "description_en", "url"]


class PlaceDetailSerializer(PlaceSerializer):
    works_about = serializers.SerializerMethodField()

    class Meta(PlaceSerializer.Meta):
        fields = [*PlaceSerializer.Meta.fields, "works_about"]

    @extend_schema_field(WorksSerializer)
    def get_works_about(self, place):
        return _works(place.works_about(), self.context)


class PersonFilter(django_filters.FilterSet):
    local_writer = django_filters.BooleanFilter(
        label=_("Місцевий письменник"), field_name="is_local_writer"
    )

    class Meta:
        model = Figure
        fields = []


class PlaceFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Вид місця"), choices=Place.Kind.choices)

    class Meta:
        model = Place
        fields = []


class PersonViewSet(ReadOnlyModelViewSet):
    """People of the local-lore index; `is_local_writer` marks the writers whose works count
    for the plan's «local writers» indicator."""

    lookup_field = "slug"
    filterset_class = PersonFilter

    def get_queryset(self):
        return Figure.objects.published().order_by("name", "id")

    def get_serializer_class(self):
        return PersonDetailSerializer if self.action == "retrieve" else PersonSerializer


class PlaceViewSet(ReadOnlyModelViewSet):
    """Places of the local-lore index: villages, streets, buildings, rivers…"""

    lookup_field = "slug"
    filterset_class = PlaceFilter

    def get_queryset(self):
        return Place.objects.published().order_by("name", "id")

    def get_serializer_class(self):
        return PlaceDetailSerializer if self.action == "retrieve" else PlaceSerializer


def register(router):
    router.register("lore-people", PersonViewSet, basename="lore-person")
    router.register("lore-places", PlaceViewSet, basename="lore-place")
