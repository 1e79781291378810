"""Admin for MARC uploads: a librarian uploads a file, a Celery task imports it, the page shows
progress (it reloads itself every few seconds while the import runs) and the CSV report.

Registered on `admin.site` here; `catalog.admin` imports this module.
"""

from functools import partial
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from branches.scoping import BranchScopedAdminMixin
from catalog.models import MarcImport
from catalog.tasks import marc_import_task
from core.exports import CSV_CONTENT_TYPE

REFRESH_SECONDS = 3
# What an upload changes: records and copies. Whoever may not, may not upload either.
IMPORT_PERMISSIONS = (
    "catalog.add_record",
    "catalog.change_record",
    "catalog.add_item",
    "catalog.change_item",
    "catalog.add_marcimport",
)


class MarcImportForm(forms.ModelForm):
    class Meta:
        model = MarcImport
        fields = ["file", "branch", "format", "syntax", "encoding"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.size:
            raise forms.ValidationError(_("Файл порожній."))
        head = upload.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
        upload.seek(0)
        if not (head[:5].isdigit() or head[:1] == b"<"):
            raise forms.ValidationError(
                _(
                    "Це не схоже на файл MARC: очікуємо ISO 2709 (.iso, .mrc — починається з "
                    "довжини запису) або MARCXML (.xml)."
                )
            )
        return upload


@admin.register(MarcImport)
class MarcImportAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    form = MarcImportForm
    change_form_template = "admin/catalog/marcimport/change_form.html"
    list_display = [
        "__str__",
        "branch",
        "status",
        "progress",
        "loaded",
        "updated",
        "rejected",
        "created_by",
        "created_at",
    ]
    list_filter = ["status", "branch"]
    list_select_related = ["branch", "created_by"]
    add_fields = ["file", "branch", "format", "syntax", "encoding"]
    view_fields = [
        "original_name",
        "branch",
        "status",
        "progress",
        "loaded",
        "updated",
        "rejected",
        "warnings",
        "items_created",
        "items_updated",
        "report_link",
        "summary_text",
        "format",
        "syntax",
        "encoding",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
    ]

    def get_fields(self, request, obj=None):
        return self.add_fields if obj is None else self.view_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.view_fields

    def has_add_permission(self, request):
        return super().has_add_permission(request) and request.user.has_perms(IMPORT_PERMISSIONS)

    def has_change_permission(self, request, obj=None):
        # An upload is a record of what happened; nobody edits it.
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            obj.original_name = Path(form.cleaned_data["file"].name).name[:255]
            obj.bytes_total = form.cleaned_data["file"].size
        super().save_model(request, obj, form, change)
        if not change:
            transaction.on_commit(partial(marc_import_task.delay, obj.pk))

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(
            request,
            _("Файл «%(name)s» прийнято; імпорт іде у фоні — ця сторінка оновлюється сама.")
            % {"name": obj.original_name},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:catalog_marcimport_change", args=[obj.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        obj = self.get_object(request, object_id)
        if obj is not None and obj.is_active:
            extra_context["refresh_seconds"] = REFRESH_SECONDS
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        report = path(
            "<int:pk>/report/",
            self.admin_site.admin_view(self.report_view),
            name="catalog_marcimport_report",
        )
        return [report, *super().get_urls()]

    def report_view(self, request, pk):
        upload = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, upload):
            raise PermissionDenied
        if not upload.report:
            raise Http404(_("Звіту ще немає."))
        return FileResponse(
            upload.report.open("rb"),
            as_attachment=True,
            filename=f"marc-import-{upload.pk}-report.csv",
            content_type=CSV_CONTENT_TYPE,
        )

    @admin.display(description=_("перебіг"))
    def progress(self, obj):
        return format_html(
            '<progress max="100" value="{}" aria-label="{}">{} %</progress> {} % · {}',
            obj.percent,
            _("Перебіг імпорту"),
            obj.percent,
            obj.percent,
            _("прочитано записів: %(n)s") % {"n": obj.records_seen},
        )

    @admin.display(description=_("звіт"))
    def report_link(self, obj):
        if not obj.report:
            return _("з'явиться після завершення")
        return format_html(
            '<a href="{}" download>{}</a>',
            reverse("admin:catalog_marcimport_report", args=[obj.pk]),
            _("Завантажити звіт (CSV): відхилені записи і попередження"),
        )

    @admin.display(description=_("підсумок"))
    def summary_text(self, obj):
        return format_html('<pre style="white-space: pre-wrap">{}</pre>', obj.summary or "—")
