"""Texts of readers' surveys that have an English version (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from reference.models import Survey, SurveyChoice, SurveyQuestion


@register(Survey)
class SurveyTranslation(TranslationOptions):
    fields = ("title", "intro")


@register(SurveyQuestion)
class SurveyQuestionTranslation(TranslationOptions):
    fields = ("text",)


@register(SurveyChoice)
class SurveyChoiceTranslation(TranslationOptions):
    fields = ("text",)
