"""Read-only API of the news: /api/v1/news/ — published news, announcements and press releases,
newest first (never drafts, never items whose publish date is still ahead).
`register()` is called by lutsk_cbs/api.py."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import IsoDateTimeFilter, UkrainianTextField
from core.viewsets import ReadOnlyModelViewSet
from news.models import NewsItem, NewsPhoto


class NewsFilter(django_filters.FilterSet):
    branch = django_filters.CharFilter(
        label=_("Бібліотека (код)"),
        field_name="branch__slug",
        help_text="Library slug; items of the whole network have none.",
    )
    kind = django_filters.ChoiceFilter(label=_("Вид"), choices=NewsItem.Kind.choices)
    published_after = IsoDateTimeFilter(
        label=_("Опубліковано не раніше"), field_name="published_at", lookup_expr="gte"
    )
    published_before = IsoDateTimeFilter(
        label=_("Опубліковано раніше ніж"), field_name="published_at", lookup_expr="lt"
    )

    class Meta:
        model = NewsItem
        fields = []


class NewsPhotoSerializer(serializers.ModelSerializer):
    image = serializers.SerializerMethodField()

    class Meta:
        model = NewsPhoto
        fields = ["image", "alt_text"]

    @extend_schema_field(serializers.URLField())
    def get_image(self, photo) -> str:
        return self.context["request"].build_absolute_uri(photo.image.url)


class NewsItemSerializer(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    photos = NewsPhotoSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField()
    # Ukrainian texts under their own names, English ones (or null) with `_en`.
    title = UkrainianTextField()
    lead = UkrainianTextField()
    body = UkrainianTextField()

    class Meta:
        model = NewsItem
        fields = [
            "id",
            "kind",
            "branch",
            "title",
            "title_en",
            "lead",
            "lead_en",
            "body",
            "body_en",
            "published_at",
            "photos",
            "url",
        ]

    @extend_schema_field(serializers.URLField())
    def get_url(self, item) -> str:
        return self.context["request"].build_absolute_uri(item.get_absolute_url())


class NewsItemViewSet(ReadOnlyModelViewSet):
    """Published news, announcements and press releases of the libraries and of the whole
    network (`branch` null), newest first; `body` separates paragraphs with an empty line."""

    serializer_class = NewsItemSerializer
    filterset_class = NewsFilter

    def get_queryset(self):
        return (
            NewsItem.objects.published()
            .select_related("branch")
            .prefetch_related("photos")
            .newest_first()
        )


def register(router):
    router.register("news", NewsItemViewSet, basename="news-item")
