"""Texts of the e-government guides that have an English version (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from egov.models import Guide, Topic


@register(Guide)
class GuideTranslation(TranslationOptions):
    fields = ("title", "summary", "steps", "what_to_bring")


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name",)
