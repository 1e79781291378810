"""Read-only API of the app; `register()` is called by lutsk_cbs/api.py."""

import django_filters
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import IsoDateTimeFilter, UkrainianTextField
from core.viewsets import ReadOnlyModelViewSet
from events.models import Audience, Club, Event, Topic


class EventFilter(django_filters.FilterSet):
    branch = django_filters.CharFilter(
        label=_("Бібліотека (код)"), field_name="branch__slug", help_text="Library slug."
    )
    kind = django_filters.ChoiceFilter(label=_("Вид заходу"), choices=Event.Kind.choices)
    audience = django_filters.ChoiceFilter(
        label=_("Для кого"), choices=Audience.choices, method="filter_audience"
    )
    topic = django_filters.CharFilter(label=_("Тема (код)"), field_name="topics__slug")
    status = django_filters.ChoiceFilter(
        label=_("Стан"),
        choices=[c for c in Event.Status.choices if c[0] != Event.Status.DRAFT],
    )
    starts_after = IsoDateTimeFilter(
        label=_("Починається не раніше"), field_name="starts_at", lookup_expr="gte"
    )
    starts_before = IsoDateTimeFilter(
        label=_("Починається раніше ніж"), field_name="starts_at", lookup_expr="lt"
    )
    upcoming = django_filters.BooleanFilter(label=_("Лише майбутні"), method="filter_upcoming")
    has_seats = django_filters.BooleanFilter(label=_("Є вільні місця"), method="filter_has_seats")

    class Meta:
        model = Event
        fields = []

    def filter_audience(self, queryset, name, value):
        return queryset.filter(audiences__contains=[value])

    def filter_upcoming(self, queryset, name, value):
        if value is None:
            return queryset
        now = timezone.now()
        return queryset.filter(ends_at__gte=now) if value else queryset.filter(ends_at__lt=now)

    def filter_has_seats(self, queryset, name, value):
        if value is None:
            return queryset
        free = Q(capacity__isnull=True) | Q(seats_confirmed__lt=F("capacity"))
        return queryset.filter(free) if value else queryset.exclude(free)


class EventTopicSerializer(serializers.ModelSerializer):
    # `name` is Ukrainian and `name_en` English, whatever language the request asks for.
    name = UkrainianTextField()

    class Meta:
        model = Topic
        fields = ["slug", "name", "name_en"]


class EventSerializer(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    topics = EventTopicSerializer(many=True, read_only=True)
    partners = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    audiences = serializers.ListField(child=serializers.ChoiceField(choices=Audience.choices))
    seats_left = serializers.IntegerField(allow_null=True, read_only=True)
    url = serializers.SerializerMethodField()
    # Ukrainian texts under their own names, English ones (or null) with `_en`.
    title = UkrainianTextField()
    description = UkrainianTextField()

    class Meta:
        model = Event
        fields = [
            "id",
            "title",
            "title_en",
            "description",
            "description_en",
            "kind",
            "status",
            "branch",
            "is_online",
            "venue",
            "starts_at",
            "ends_at",
            "audiences",
            "age_rating",
            "topics",
            "partners",
            "registration_required",
            "capacity",
            "seats_left",
            "registration_closes_at",
            "url",
        ]

    @extend_schema_field(serializers.URLField())
    def get_url(self, event) -> str:
        return self.context["request"].build_absolute_uri(event.get_absolute_url())


class EventViewSet(ReadOnlyModelViewSet):
    """Published, held and cancelled events of the network (never drafts); the online link is
    not here: only registered people get it."""

    serializer_class = EventSerializer
    filterset_class = EventFilter

    def get_queryset(self):
        return (
            Event.objects.public()
            .select_related("branch")
            .prefetch_related("topics", "partners")
            .order_by("starts_at", "pk")
            .distinct()
        )


class ClubSerializer(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    audiences = serializers.ListField(child=serializers.ChoiceField(choices=Audience.choices))
    weekdays = serializers.ListField(child=serializers.IntegerField(min_value=0, max_value=6))
    url = serializers.SerializerMethodField()

    class Meta:
        model = Club
        fields = [
            "slug",
            "name",
            "kind",
            "focus",
            "branch",
            "leader",
            "description",
            "audiences",
            "venue",
            "frequency",
            "interval",
            "weekdays",
            "week_of_month",
            "starts_at_time",
            "duration_minutes",
            "starts_on",
            "ends_on",
            "url",
        ]

    @extend_schema_field(serializers.URLField())
    def get_url(self, club) -> str:
        return self.context["request"].build_absolute_uri(club.get_absolute_url())


class ClubViewSet(ReadOnlyModelViewSet):
    """Clubs and schools with their recurring schedule."""

    serializer_class = ClubSerializer
    lookup_field = "slug"
    filterset_fields = ["kind", "focus"]

    def get_queryset(self):
        return Club.objects.public().select_related("branch").order_by("name")


def register(router):
    router.register("events", EventViewSet, basename="event")
    router.register("clubs", ClubViewSet, basename="club")
