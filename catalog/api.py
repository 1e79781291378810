"""The public read API of the catalogue: /api/v1/records/ (search with facet filters) and
/api/v1/records/{id}/ with the copies in each library."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers

from catalog import search as engine
from catalog.forms import SORT_CHOICES, YEAR_MIN
from catalog.models import Contribution, Item, Record
from catalog.presentation import holdings, listing, with_contributors
from core.api import QueryParams
from core.viewsets import ReadOnlyModelViewSet


class RecordSearchParams(QueryParams):
    """Query parameters of /api/v1/records/: the search words, facet filters and the order."""

    q = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="Search words, ISBN, etc."
    )
    branch = serializers.SlugField(
        required=False, max_length=60, help_text="Library slug: copies held there."
    )
    available = serializers.BooleanField(
        required=False,
        help_text="Only records with a copy on the shelf now.",
        error_messages={"invalid": _("Вкажіть true або false.")},
    )
    language = serializers.RegexField(
        r"^[a-z]{2,3}$", required=False, help_text="ISO 639-2 code: ukr, eng…"
    )
    material_type = serializers.ChoiceField(choices=Record.MaterialType.choices, required=False)
    year_from = serializers.IntegerField(required=False, min_value=YEAR_MIN)
    year_to = serializers.IntegerField(required=False, min_value=YEAR_MIN)
    subject = serializers.IntegerField(required=False, min_value=1, help_text="Subject id.")
    age_rating = serializers.ChoiceField(choices=Record.AgeRating.choices, required=False)
    sort = serializers.ChoiceField(
        choices=[key for key, _label in SORT_CHOICES], required=False, default="relevance"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Up to next year (announced books): the limit moves each year, so it is set per
        # request and the published schema states it.
        year_max = timezone.localdate().year + 1
        for name in ("year_from", "year_to"):
            self.fields[name] = serializers.IntegerField(
                required=False, min_value=YEAR_MIN, max_value=year_max
            )

    def search_args(self):
        data = dict(self.validated_data)
        query = data.pop("q", "") or ""
        sort = data.pop("sort", None) or "relevance"
        filters = {key: value for key, value in data.items() if value not in (None, "", False)}
        return query, filters, sort

    def is_empty_range(self):
        """ "From 2020 to 2016" is a well-formed question whose answer is nothing."""
        year_from = self.validated_data.get("year_from")
        year_to = self.validated_data.get("year_to")
        return bool(year_from and year_to and year_from > year_to)


class ContributorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name")

    class Meta:
        model = Contribution
        fields = ["name", "role"]


class RecordSerializer(serializers.ModelSerializer):
    contributors = ContributorSerializer(source="contributions", many=True, read_only=True)
    isbn = serializers.CharField(source="isbn_display")
    on_shelf_in = serializers.SerializerMethodField(
        help_text="In how many libraries a copy is on the shelf now."
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = Record
        fields = [
            "id",
            "title",
            "subtitle",
            "contributors",
            "year",
            "language",
            "material_type",
            "isbn",
            "age_rating",
            "is_local_lore",
            "on_shelf_in",
            "url",
        ]

    def get_on_shelf_in(self, record) -> int:
        return getattr(record, "on_shelf_in", 0)

    def get_url(self, record) -> str:
        return self.context["request"].build_absolute_uri(record.get_absolute_url())


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = ["inventory_number", "shelf_mark", "status"]


class HoldingSerializer(serializers.Serializer):
    branch = serializers.SlugField(source="branch.slug")
    branch_name = serializers.CharField(source="branch.name")
    on_shelf = serializers.IntegerField()
    items = ItemSerializer(many=True)


class SubjectRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RecordDetailSerializer(RecordSerializer):
    subjects = SubjectRefSerializer(many=True, read_only=True)
    holdings = serializers.SerializerMethodField()
    cover = serializers.SerializerMethodField()

    class Meta(RecordSerializer.Meta):
        fields = [
            *RecordSerializer.Meta.fields,
            "responsibility",
            "publisher",
            "place",
            "edition",
            "udc",
            "bbk",
            "series",
            "subjects",
            "annotation",
            "cover",
            "holdings",
        ]

    def get_on_shelf_in(self, record) -> int:
        return sum(1 for holding in self._holdings(record) if holding.on_shelf)

    @extend_schema_field(HoldingSerializer(many=True))
    def get_holdings(self, record):
        return HoldingSerializer(self._holdings(record), many=True).data

    def get_cover(self, record) -> str | None:
        if not record.cover:
            return None
        return self.context["request"].build_absolute_uri(record.cover.url)

    def _holdings(self, record):
        if not hasattr(record, "_holdings_cache"):
            record._holdings_cache = holdings(record)
        return record._holdings_cache


class RecordViewSet(ReadOnlyModelViewSet):
    """Catalogue records. The list searches like the catalogue page (Ukrainian word forms,
    typos, transliteration, ISBN) and narrows by facets; a record lists its copies by library."""

    def get_queryset(self):
        if self.action == "retrieve":
            return with_contributors(Record.objects.all()).prefetch_related(Prefetch("subjects"))
        params = RecordSearchParams(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        if params.is_empty_range():
            return Record.objects.none()
        query, filters, sort = params.search_args()
        return with_contributors(
            engine.search_records(query=query, filters=filters, sort=sort).records
        )

    def get_serializer_class(self):
        return RecordDetailSerializer if self.action == "retrieve" else RecordSerializer

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return listing(page) if page is not None else None

    @extend_schema(parameters=[RecordSearchParams])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
