"""Texts of the library network that have an English version (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from branches.models import Branch, Closure, Service, Specialization


@register(Branch)
class BranchTranslation(TranslationOptions):
    fields = ("name", "address", "description")


@register(Specialization)
class SpecializationTranslation(TranslationOptions):
    fields = ("name",)


@register(Service)
class ServiceTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Closure)
class ClosureTranslation(TranslationOptions):
    fields = ("reason",)
