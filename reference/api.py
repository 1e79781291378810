"""Read-only API of «Запитай бібліотекаря»: /api/v1/reference-answers/ — the questions readers
agreed to publish, with the library's answer. Never the reader's name or e-mail: they are not
even read from the database. `register()` is called by lutsk_cbs/api.py."""

import django_filters
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import IsoDateTimeFilter
from core.viewsets import ReadOnlyModelViewSet
from reference.models import Question, Topic


class AnswerFilter(django_filters.FilterSet):
    branch = django_filters.CharFilter(
        label=_("Бібліотека (код)"), field_name="branch__slug", help_text="Library slug."
    )
    topic = django_filters.ChoiceFilter(label=_("Тема"), choices=Topic.choices)
    answered_after = IsoDateTimeFilter(
        label=_("Відповідь не раніше"), field_name="answered_at", lookup_expr="gte"
    )

    class Meta:
        model = Question
        fields = []


class AnswerSerializer(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    question = serializers.CharField(source="text", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Question
        fields = ["id", "topic", "branch", "question", "answer", "answered_at", "url"]

    @extend_schema_field(serializers.URLField())
    def get_url(self, question) -> str:
        # The published answers' page; a question has no page of its own.
        return self.context["request"].build_absolute_uri(reverse("reference:answers"))


class AnswerViewSet(ReadOnlyModelViewSet):
    """Readers' questions published with their consent and the library's answers, newest
    answer first; no reader's name or address."""

    serializer_class = AnswerSerializer
    filterset_class = AnswerFilter

    def get_queryset(self):
        return (
            Question.objects.published()
            .filter(publish_consent=True)
            .exclude(answer="")
            .select_related("branch")
            .only("id", "topic", "branch__slug", "text", "answer", "answered_at")
            .order_by("-answered_at", "-pk")
        )


def register(router):
    router.register("reference-answers", AnswerViewSet, basename="reference-answer")
