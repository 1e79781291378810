"""Read-only API of the help desk: /api/v1/egov-guides/ and /api/v1/egov-slots/ (free slots).

`register()` is called by lutsk_cbs/api.py. No personal data is exposed: a slot says only
whether it is free.
"""

import django_filters
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers

from core.api import IsoDateTimeFilter, QueryParams, UkrainianTextField
from core.viewsets import ReadOnlyModelViewSet
from egov.models import Guide, GuideLink, Slot, Topic
from egov.search import search_guides


class TopicSerializer(serializers.ModelSerializer):
    # `name` is Ukrainian and `name_en` English, whatever language the request asks for.
    name = UkrainianTextField()

    class Meta:
        model = Topic
        fields = ["slug", "name", "name_en"]


class GuideLinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = GuideLink
        fields = ["title", "url"]


class GuideSerializer(serializers.ModelSerializer):
    topic = TopicSerializer(read_only=True)
    steps = serializers.SerializerMethodField()
    what_to_bring = serializers.SerializerMethodField()
    links = GuideLinkSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField()
    # Ukrainian texts under their own names, English ones (or null) with `_en`.
    title = UkrainianTextField()
    summary = UkrainianTextField()

    class Meta:
        model = Guide
        fields = [
            "slug",
            "title",
            "title_en",
            "topic",
            "summary",
            "summary_en",
            "steps",
            "what_to_bring",
            "links",
            "last_reviewed",
            "url",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_steps(self, guide):
        return _lines(guide.steps_uk)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_what_to_bring(self, guide):
        return _lines(guide.what_to_bring_uk)

    def get_url(self, guide) -> str:
        return self.context["request"].build_absolute_uri(guide.get_absolute_url())


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class GuideParams(QueryParams):
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Words in any Ukrainian form."
    )
    topic = serializers.SlugField(required=False, help_text="Topic slug: diia, pension-fund…")


class GuideViewSet(ReadOnlyModelViewSet):
    """Step-by-step guides to online state services; `q` searches Ukrainian word forms."""

    serializer_class = GuideSerializer
    lookup_field = "slug"
    filter_backends = []

    def get_queryset(self):
        if self.action == "retrieve":
            return Guide.objects.published().select_related("topic").prefetch_related("links")
        params = GuideParams(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        topic = None
        if params.validated_data.get("topic"):
            topic = Topic.objects.filter(slug=params.validated_data["topic"]).first()
            if topic is None:
                return Guide.objects.none()
        return search_guides(params.validated_data.get("q", ""), topic).prefetch_related("links")

    @extend_schema(parameters=[GuideParams])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class SlotFilter(django_filters.FilterSet):
    branch = django_filters.CharFilter(field_name="branch__slug", help_text="Library slug.")
    kind = django_filters.ChoiceFilter(choices=Slot.Kind.choices)
    after = IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    before = IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = Slot
        fields = ["branch", "kind", "after", "before"]


class SlotSerializer(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    book_url = serializers.SerializerMethodField()

    class Meta:
        model = Slot
        fields = ["id", "branch", "kind", "starts_at", "ends_at", "consultant", "book_url"]

    def get_book_url(self, slot) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("egov:slot_book", kwargs={"pk": slot.pk})
        )


class FreeSlotViewSet(ReadOnlyModelViewSet):
    """Consultation slots still free to book, soonest first."""

    serializer_class = SlotSerializer
    filterset_class = SlotFilter

    def get_queryset(self):
        return Slot.objects.free().select_related("branch").order_by("starts_at", "pk")


def register(router):
    router.register("egov-guides", GuideViewSet, basename="egov-guide")
    router.register("egov-slots", FreeSlotViewSet, basename="egov-slot")
