"""Texts of news items that have an English version (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from news.models import NewsItem


@register(NewsItem)
class NewsItemTranslation(TranslationOptions):
    fields = ("title", "lead", "body")
