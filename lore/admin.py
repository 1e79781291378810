"""Staff side of the local-lore index. People and places are not readers' personal data:
the index is the network's, kept by methodologists; librarians add and correct entries."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from lore import services
from lore.models import Figure, Place


@admin.register(Figure)
class FigureAdmin(admin.ModelAdmin):
    list_display = ["name", "dates", "is_local_writer", "is_published"]
    list_filter = ["is_local_writer", "is_published"]
    search_fields = ["name", "name_en"]
    autocomplete_fields = ["names", "works", "subjects", "records_about"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "dates", "is_local_writer", "bio", "photo", "photo_alt"]}),
        (_("Англійською"), {"fields": ["name_en", "dates_en", "bio_en"], "classes": ["collapse"]}),
        (
            _("Твори та література в каталозі"),
            {"fields": ["names", "works", "subjects", "records_about"]},
        ),
        (_("Публікація"), {"fields": ["slug", "is_published", "created_at", "updated_at"]}),
    ]

    def save_model(self, request, obj, form, change):
        services.figure_save(figure=obj, acting_user=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.figure_names_match(figure=form.instance)


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "is_published"]
    list_filter = ["kind", "is_published"]
    search_fields = ["name", "name_en"]
    autocomplete_fields = ["subjects", "records_about"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "description"]}),
        (_("Англійською"), {"fields": ["name_en", "description_en"], "classes": ["collapse"]}),
        (_("Література в каталозі"), {"fields": ["subjects", "records_about"]}),
        (_("Публікація"), {"fields": ["slug", "is_published", "created_at", "updated_at"]}),
    ]

    def save_model(self, request, obj, form, change):
        services.place_save(place=obj, acting_user=request.user)
