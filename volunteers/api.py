"""Read-only API of the app: open volunteer opportunities (no personal data).
`register()` is called by lutsk_cbs/api.py."""

from django_filters import rest_framework as filters
from rest_framework import serializers

from core.viewsets import ReadOnlyModelViewSet
from volunteers.models import Interest, Opportunity


class OpportunitySerializer(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    places_left = serializers.IntegerField(read_only=True)

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "title",
            "description",
            "activity",
            "branch",
            "place",
            "starts_at",
            "ends_at",
            "places",
            "places_left",
        ]


class OpportunityFilter(filters.FilterSet):
    branch = filters.CharFilter(field_name="branch__slug", label="branch slug")
    activity = filters.ChoiceFilter(choices=Interest.choices)

    class Meta:
        model = Opportunity
        fields = ["branch", "activity"]


class OpportunityViewSet(ReadOnlyModelViewSet):
    """Opportunities libraries need volunteers for that are still open: ongoing ones and
    dated ones that have not started. Signing up happens on the volunteer's personal page."""

    serializer_class = OpportunitySerializer
    filterset_class = OpportunityFilter

    def get_queryset(self):
        return Opportunity.objects.open().select_related("branch")


def register(router):
    router.register("volunteer-opportunities", OpportunityViewSet, basename="volunteer-opportunity")
