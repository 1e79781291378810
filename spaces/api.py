"""Read-only API of the spaces: /api/v1/spaces/ (halls, zones and public computers that can be
booked) and /api/v1/space-slots/ (the slots of one day still free to book). Nothing about who
booked what: a slot is listed only while it is free. `register()` is called by
lutsk_cbs/api.py."""

from datetime import datetime
from urllib.parse import urlencode

import django_filters
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets

from branches.models import Branch
from core.api import EnglishTextField, QueryParams
from core.tz import KYIV
from core.viewsets import ReadOnlyModelViewSet
from spaces.models import Resource
from spaces.services import date_problem, day_slots


class SpaceSerializer(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name_en = EnglishTextField()
    description_en = EnglishTextField()
    url = serializers.SerializerMethodField(help_text="The library's day of free slots.")

    class Meta:
        model = Resource
        fields = [
            "id",
            "branch",
            "kind",
            "name",
            "name_en",
            "description",
            "description_en",
            "capacity",
            "slot_minutes",
            "needs_approval",
            "url",
        ]

    @extend_schema_field(serializers.URLField())
    def get_url(self, resource) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("spaces:day", kwargs={"slug": resource.branch.slug})
        )


class SpaceFilter(django_filters.FilterSet):
    branch = django_filters.CharFilter(
        label=_("Бібліотека (код)"), field_name="branch__slug", help_text="Library slug."
    )
    kind = django_filters.ChoiceFilter(label=_("Вид"), choices=Resource.Kind.choices)

    class Meta:
        model = Resource
        fields = []


class SpaceViewSet(ReadOnlyModelViewSet):
    """Halls, reading rooms, zones and public computers readers and groups can book, library
    by library; each is booked for `slot_minutes` at a time within the library's hours."""

    serializer_class = SpaceSerializer
    filterset_class = SpaceFilter

    def get_queryset(self):
        return (
            Resource.objects.bookable()
            .select_related("branch")
            .order_by("branch__sort_order", "branch__name", "position", "kind", "name", "pk")
        )


class FreeSlotSerializer(serializers.Serializer):
    space = serializers.IntegerField(source="resource.pk", help_text="The space's id.")
    space_name = serializers.CharField(source="resource.name")
    branch = serializers.SlugField(source="resource.branch.slug")
    kind = serializers.ChoiceField(source="resource.kind", choices=Resource.Kind.choices)
    starts_at = serializers.DateTimeField(source="slot.starts_at")
    ends_at = serializers.DateTimeField(source="slot.ends_at")
    book_url = serializers.SerializerMethodField(help_text="The booking form for this slot.")

    @extend_schema_field(serializers.URLField())
    def get_book_url(self, row) -> str:
        start = row["slot"].local_start
        path = reverse(
            "spaces:book",
            kwargs={"slug": row["resource"].branch.slug, "resource_id": row["resource"].pk},
        )
        query = urlencode({"date": start.date().isoformat(), "time": start.strftime("%H:%M")})
        return self.context["request"].build_absolute_uri(f"{path}?{query}")


class FreeSlotParams(QueryParams):
    date = serializers.DateField(
        required=False,
        help_text="The day in Kyiv, YYYY-MM-DD; today when absent. A past day, or one more "
        "than 60 days ahead, has no free slots.",
        error_messages={"invalid": _("Вкажіть дату у форматі РРРР-ММ-ДД.")},
    )
    branch = serializers.SlugField(required=False, max_length=60, help_text="Library slug.")
    kind = serializers.ChoiceField(choices=Resource.Kind.choices, required=False)
    space = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text="A space's id."
    )


class FreeSlotViewSet(viewsets.GenericViewSet):
    """The slots of one day still free to book, soonest first (a list only: a slot is not an
    object of its own)."""

    serializer_class = FreeSlotSerializer
    queryset = Resource.objects.none()
    filter_backends = []

    @extend_schema(parameters=[FreeSlotParams])
    def list(self, request, *args, **kwargs):
        params = FreeSlotParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = self._free_slots(params.validated_data)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _free_slots(self, params):
        """[{resource, slot}] of the day's free slots; five queries whatever the day holds
        (the libraries with their hours and closures, the spaces, the bookings)."""
        now = timezone.now()
        day = params.get("date") or timezone.localdate(now, KYIV)
        if date_problem(day, today=timezone.localdate(now, KYIV)):
            return []
        resources = Resource.objects.bookable().order_by("position", "kind", "name", "pk")
        branches = Branch.objects.public()
        if params.get("branch"):
            resources = resources.filter(branch__slug=params["branch"])
            branches = branches.filter(slug=params["branch"])
        if params.get("kind"):
            resources = resources.filter(kind=params["kind"])
        if params.get("space"):
            resources = resources.filter(pk=params["space"])
        resources = list(resources)
        if not resources:
            return []
        around = datetime.combine(day, datetime.min.time(), tzinfo=KYIV)
        by_pk = {
            branch.pk: branch
            for branch in branches.filter(pk__in={r.branch_id for r in resources}).with_schedule(
                around=around
            )
        }
        for resource in resources:
            resource.branch = by_pk[resource.branch_id]
        slots = day_slots(resources=resources, day=day, now=now)
        rows = [
            {"resource": resource, "slot": slot}
            for resource in resources
            for slot in slots[resource.pk]
            if slot.free
        ]
        # Soonest first; at one time, libraries in their usual order (the sort keeps the
        # spaces' own order within a library).
        rows.sort(key=lambda row: (row["slot"].starts_at, _branch_order(row["resource"].branch)))
        return rows


def _branch_order(branch):
    return (branch.sort_order, branch.name)


def register(router):
    router.register("spaces", SpaceViewSet, basename="space")
    router.register("space-slots", FreeSlotViewSet, basename="space-slot")
