"""Names in the development plan that have an English version (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from strategy.models import Direction, Metric, Plan, ReportRow


@register(Plan)
class PlanTranslation(TranslationOptions):
    fields = ("title",)


@register(Direction)
class DirectionTranslation(TranslationOptions):
    fields = ("title",)


@register(Metric)
class MetricTranslation(TranslationOptions):
    fields = ("name", "unit")


@register(ReportRow)
class ReportRowTranslation(TranslationOptions):
    fields = ("label",)
