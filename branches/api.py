import django_filters
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from branches.filters import BranchFilter
from branches.models import (
    Branch,
    Closure,
    OpeningHours,
    PaidService,
    Service,
    Specialization,
    Zone,
)
from core.api import EnglishTextField, UkrainianTextField
from core.viewsets import ReadOnlyModelViewSet


class OpeningHoursSerializer(serializers.ModelSerializer):
    class Meta:
        model = OpeningHours
        fields = ["weekday", "opens", "closes", "break_starts", "break_ends"]


class ClosureSerializer(serializers.ModelSerializer):
    reason = UkrainianTextField()

    class Meta:
        model = Closure
        fields = ["kind", "start_date", "end_date", "reason", "reason_en"]


class ServiceSerializer(serializers.ModelSerializer):
    # `name` is Ukrainian and `name_en` English, whatever language the request asks for.
    name = UkrainianTextField()

    class Meta:
        model = Service
        fields = ["slug", "name", "name_en"]


class SpecializationSerializer(serializers.ModelSerializer):
    name = UkrainianTextField()

    class Meta:
        model = Specialization
        fields = ["slug", "axis", "name", "name_en"]


class ZoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Zone
        fields = ["kind", "name", "description", "seats"]


class OpenNowSerializer(serializers.Serializer):
    is_open = serializers.BooleanField()
    closes_at = serializers.DateTimeField(allow_null=True)
    opens_at = serializers.DateTimeField(allow_null=True)


class BranchSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    open_now = serializers.SerializerMethodField()
    services = ServiceSerializer(many=True, read_only=True)
    specializations = SpecializationSerializer(many=True, read_only=True)
    hours = OpeningHoursSerializer(many=True, read_only=True)
    # Ukrainian texts under their own names, English ones with `_en`, in any request language.
    name = UkrainianTextField()
    address = UkrainianTextField()

    class Meta:
        model = Branch
        fields = [
            "slug",
            "name",
            "name_en",
            "kind",
            "number",
            "address",
            "address_en",
            "postal_code",
            "latitude",
            "longitude",
            "phone",
            "email",
            "website",
            "contacts_are_demo",
            "step_free_entrance",
            "accessible_toilet",
            "hearing_loop",
            "large_print",
            "public_pcs",
            "wifi",
            "services",
            "specializations",
            "hours",
            "open_now",
            "url",
        ]

    def get_url(self, branch) -> str:
        return self.context["request"].build_absolute_uri(branch.get_absolute_url())

    @extend_schema_field(OpenNowSerializer)
    def get_open_now(self, branch):
        status = branch.status_at(timezone.now())
        return {
            "is_open": status.is_open,
            "closes_at": status.closes_at,
            "opens_at": status.opens_at,
        }


class BranchDetailSerializer(BranchSerializer):
    zones = ZoneSerializer(many=True, read_only=True)
    closures = serializers.SerializerMethodField()

    class Meta(BranchSerializer.Meta):
        fields = [*BranchSerializer.Meta.fields, "description", "zones", "closures"]

    @extend_schema_field(ClosureSerializer(many=True))
    def get_closures(self, branch):
        return ClosureSerializer(branch._closures(), many=True).data


class BranchApiFilter(BranchFilter):
    """The page's filters; a service or audience is named by its code, and a code no library
    has finds none (the page's form offers only existing ones)."""

    service = django_filters.CharFilter(
        field_name="services__slug", help_text="Service code: wifi, egov-point…"
    )
    audience = django_filters.CharFilter(
        method="filter_audience", help_text="Audience code: children, youth…"
    )

    def filter_audience(self, queryset, name, value):
        return queryset.filter(
            specializations__slug=value, specializations__axis=Specialization.Axis.AUDIENCE
        )


class BranchViewSet(ReadOnlyModelViewSet):
    """Libraries of the network with their hours, services and whether they are open now."""

    lookup_field = "slug"
    filterset_class = BranchApiFilter

    def get_queryset(self):
        queryset = (
            Branch.objects.public().with_schedule().prefetch_related("services", "specializations")
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("zones")
        return queryset

    def get_serializer_class(self):
        return BranchDetailSerializer if self.action == "retrieve" else BranchSerializer


class PaidServiceSerializer(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    # Ukrainian texts under their own names, English ones (or null) with `_en`.
    name_en = EnglishTextField()
    unit_en = EnglishTextField()
    note_en = EnglishTextField()
    url = serializers.SerializerMethodField(help_text="The network's price list.")

    class Meta:
        model = PaidService
        fields = [
            "id",
            "branch",
            "name",
            "name_en",
            "price",
            "unit",
            "unit_en",
            "note",
            "note_en",
            "url",
        ]

    def get_url(self, service) -> str:
        return self.context["request"].build_absolute_uri(reverse("branches:paid_services"))


class PaidServiceFilter(django_filters.FilterSet):
    branch = django_filters.CharFilter(
        label=_("Бібліотека (код)"), field_name="branch__slug", help_text="Library slug."
    )

    class Meta:
        model = PaidService
        fields = []


class PaidServiceViewSet(ReadOnlyModelViewSet):
    """The price list: paid services the libraries offer now, with the price in hryvnias
    (a decimal string: "5.00"), library by library."""

    serializer_class = PaidServiceSerializer
    filterset_class = PaidServiceFilter

    def get_queryset(self):
        return (
            PaidService.objects.public()
            .select_related("branch")
            .order_by("branch__sort_order", "branch__name", "position", "name", "pk")
        )
