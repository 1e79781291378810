"""Staff side of digitised documents: a librarian describes and publishes their own library's
documents and uploads the pages (inline, in order); methodologists see every library's. Pages
are stored through digital.services (web sizes, GPS removed), publishing is logged."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from branches.scoping import BranchScopedAdminMixin
from digital import services
from digital.images import NOT_AN_IMAGE_PLAIN, image_check
from digital.models import Collection, DigitalDocument, DigitalPage


class DigitalPageForm(forms.ModelForm):
    class Meta:
        model = DigitalPage
        fields = ["position", "image", "caption", "transcription"]
        widgets = {"transcription": forms.Textarea(attrs={"rows": 3, "cols": 40})}
        error_messages = {"image": {"invalid_image": NOT_AN_IMAGE_PLAIN}}

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if upload and "image" in self.changed_data:
            image_check(upload)
        return upload


class DigitalPageInline(admin.TabularInline):
    model = DigitalPage
    form = DigitalPageForm
    extra = 1
    fields = ["preview", "position", "image", "caption", "transcription"]
    readonly_fields = ["preview"]
    ordering = ["position", "pk"]

    @admin.display(description=_("Мініатюра"))
    def preview(self, page):
        if not page.thumb:
            return "—"
        return format_html('<img src="{}" alt="" width="80">', page.thumb.url)


@admin.register(Collection)
class CollectionAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "branch"]
    list_filter = ["branch"]
    list_select_related = ["branch"]
    search_fields = ["title"]
    fields = ["title", "branch", "description"]


@admin.register(DigitalDocument)
class DigitalDocumentAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "date_text", "branch", "is_published", "digitised_on"]
    list_filter = ["is_published", "kind", "branch", "collection"]
    list_select_related = ["branch"]
    search_fields = ["title", "place", "people"]
    date_hierarchy = "digitised_on"
    ordering = ["-digitised_on", "-pk"]
    autocomplete_fields = ["collection", "record", "subjects"]
    readonly_fields = ["is_published", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "kind", "branch", "collection", "digitised_on"]}),
        (
            _("Опис"),
            {"fields": ["date_text", ("year_from", "year_to"), "place", "people", "description"]},
        ),
        (_("Права і звʼязки"), {"fields": ["rights", "record", "subjects"]}),
        (None, {"fields": ["is_published", "created_at", "updated_at"]}),
    ]
    inlines = [DigitalPageInline]
    actions = ["publish", "unpublish"]

    def save_formset(self, request, form, formset, change):
        if formset.model is not DigitalPage:
            return super().save_formset(request, form, formset, change)
        pages = formset.save(commit=False)
        for page in formset.deleted_objects:
            services.digital_page_delete(page=page, acting_user=request.user)
        changed = {id(f.instance): f for f in formset.forms if f.instance in pages}
        for page in pages:
            page_form = changed.get(id(page))
            upload = None
            if page_form is not None and "image" in page_form.changed_data:
                upload = page_form.cleaned_data["image"]
            services.digital_page_save(page=page, upload=upload, acting_user=request.user)
        formset.save_m2m()

    def _publish(self, request, queryset, publish, done_message):
        done = 0
        for document in queryset:
            try:
                services.digital_document_publish(
                    document=document, publish=publish, acting_user=request.user
                )
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{document}: {error.messages[0]}", messages.WARNING)
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Опублікувати"), permissions=["change"])
    def publish(self, request, queryset):
        self._publish(request, queryset, True, gettext("Опубліковано: %(count)s."))

    @admin.action(description=_("Зняти з публікації"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._publish(request, queryset, False, gettext("Знято з публікації: %(count)s."))
