"""Texts of events, clubs and topics that have an English version (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from events.models import Club, Event, Topic


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Club)
class ClubTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name",)
