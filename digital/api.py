"""Read-only API of the digitised documents: /api/v1/digital-documents/ (published ones only),
each with its first page's thumbnail; a document's own address lists its pages with the image
in each web size. `register()` is called by lutsk_cbs/api.py."""

import django_filters
from django import forms
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.viewsets import ReadOnlyModelViewSet
from digital.models import YEAR_MAX, YEAR_MIN, DigitalDocument, DigitalPage


def _file_url(request, name):
    return request.build_absolute_uri(default_storage.url(name)) if name else None


class ImageSizeSerializer(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField(help_text="Pixels.")


class PageSerializer(serializers.ModelSerializer):
    number = serializers.SerializerMethodField(help_text="The page's number, from 1.")
    image = serializers.SerializerMethodField(help_text="The full-size image.")
    sizes = serializers.SerializerMethodField(
        help_text="Web sizes made on upload (longest side 1600, 800, 320 px); null while none."
    )
    url = serializers.SerializerMethodField(help_text="The page in the site's viewer.")

    class Meta:
        model = DigitalPage
        fields = ["number", "image", "width", "height", "sizes", "caption", "transcription", "url"]

    def get_number(self, page) -> int:
        return self.context["page_numbers"][page.pk]

    @extend_schema_field(serializers.URLField())
    def get_image(self, page):
        return _file_url(self.context["request"], page.image.name)

    @extend_schema_field(
        serializers.DictField(child=ImageSizeSerializer(), allow_null=True, allow_empty=False)
    )
    def get_sizes(self, page):
        request = self.context["request"]
        sizes = {
            "large": (page.large.name, page.large_width),
            "medium": (page.medium.name, page.medium_width),
            "thumb": (page.thumb.name, page.thumb_width),
        }
        shown = {
            key: {"url": _file_url(request, name), "width": width}
            for key, (name, width) in sizes.items()
            if name
        }
        return shown or None

    @extend_schema_field(serializers.URLField())
    def get_url(self, page) -> str:
        number = self.context["page_numbers"][page.pk]
        return self.context["request"].build_absolute_uri(
            reverse("digital:page", kwargs={"pk": page.document_id, "number": number})
        )


class DocumentSerializer(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    collection = serializers.SlugRelatedField(slug_field="title", read_only=True, allow_null=True)
    page_count = serializers.IntegerField(read_only=True, allow_null=True)
    cover = serializers.SerializerMethodField(help_text="The first page's thumbnail.")
    record = serializers.SerializerMethodField(
        help_text="The original's record in the records API, if the catalogue has it."
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = DigitalDocument
        fields = [
            "id",
            "title",
            "kind",
            "branch",
            "collection",
            "date_text",
            "year_from",
            "year_to",
            "place",
            "people",
            "description",
            "rights",
            "page_count",
            "cover",
            "record",
            "url",
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_cover(self, document):
        return _file_url(self.context["request"], document.cover_thumb)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_record(self, document):
        if document.record_id is None:
            return None
        return self.context["request"].build_absolute_uri(
            reverse("record-detail", kwargs={"pk": document.record_id})
        )

    @extend_schema_field(serializers.URLField())
    def get_url(self, document) -> str:
        return self.context["request"].build_absolute_uri(document.get_absolute_url())


class DocumentDetailSerializer(DocumentSerializer):
    pages = serializers.SerializerMethodField()

    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "pages"]

    @extend_schema_field(PageSerializer(many=True))
    def get_pages(self, document):
        pages = list(document.pages.order_by("position", "pk"))
        numbers = {page.pk: number for number, page in enumerate(pages, start=1)}
        context = {**self.context, "page_numbers": numbers}
        return PageSerializer(pages, many=True, context=context).data


@extend_schema_field({"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX})
class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class DocumentFilter(django_filters.FilterSet):
    branch = django_filters.CharFilter(
        label=_("Бібліотека (код)"), field_name="branch__slug", help_text="Library slug."
    )
    kind = django_filters.ChoiceFilter(label=_("Вид"), choices=DigitalDocument.Kind.choices)
    decade = YearFilter(
        label=_("Десятиліття"),
        method="filter_decade",
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        help_text="Any year of the decade: 1930 and 1935 both mean 1930–1939.",
    )

    class Meta:
        model = DigitalDocument
        fields = []

    def filter_decade(self, queryset, name, value):
        return queryset.of_decade(value // 10 * 10)


class DocumentViewSet(ReadOnlyModelViewSet):
    """Published digitised photographs and documents, oldest first; `description` separates
    paragraphs with an empty line."""

    filterset_class = DocumentFilter

    def get_queryset(self):
        return (
            DigitalDocument.objects.published()
            .with_cover()
            .select_related("branch", "collection")
            .order_by("year_from", "title", "pk")
        )

    def get_serializer_class(self):
        return DocumentDetailSerializer if self.action == "retrieve" else DocumentSerializer


def register(router):
    router.register("digital-documents", DocumentViewSet, basename="digital-document")
