from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from branches.scoping import BranchScopedAdminMixin, BranchScopedInlineMixin, staff_scope
from catalog.forms import (
    IntakeLineFormSet,
    MinimalRecordForm,
    WithdrawalActForm,
    WithdrawalForm,
)
from catalog.indexing import record_reindex
from catalog.models import (
    Contribution,
    IntakeBatch,
    Item,
    OnlineResource,
    Person,
    PurchaseSuggestion,
    Record,
    SearchLog,
    Subject,
    Withdrawal,
    normalize_isbn,
)
from catalog.search import search_records
from catalog.services import (
    IntakeLine,
    intake_add_copies,
    item_change_status,
    person_save,
    record_create,
    subject_save,
    withdrawal_create,
    withdrawal_problems,
)

# How many records «Знайти» and the suggestions under the box offer for one row.
RECORD_CANDIDATES = 8
# How many copies one act may write off from the list at once (their ids travel in the page).
WITHDRAW_AT_ONCE = 500


def record_label(record: Record) -> str:
    """«Лісова пісня / Українка, Леся, 2021, ISBN 978-… (№ 12)»: enough to tell editions apart."""
    label = record.title
    authors = "; ".join(person.name for person in record.authors())
    if authors:
        label += f" / {authors}"
    details = [str(record.year) if record.year else "", record.isbn_display]
    details = [part for part in details if part]
    if details:
        label += ", " + ", ".join(details)
    return f"{label} (№ {record.pk})"


def record_candidates(query: str) -> tuple[str, list[Record]]:
    """The catalogue search's best records for what was typed (ISBN, title or author)."""
    outcome = search_records(query=query)
    records = outcome.records.prefetch_related("contributions__person")[:RECORD_CANDIDATES]
    return outcome.mode, list(records)


class ContributionInline(admin.TabularInline):
    model = Contribution
    extra = 1
    autocomplete_fields = ["person"]


class ItemInline(BranchScopedInlineMixin, admin.TabularInline):
    """Copies of the record; a librarian sees and edits only their own library's copies."""

    model = Item
    extra = 0
    fields = ["inventory_number", "barcode", "branch", "shelf_mark", "status"]
    # The status moves only through the copy's own actions (item_change_status), which check
    # the workflow, log the change and refresh cached searches.
    readonly_fields = ["inventory_number", "status"]
    show_change_link = True

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("branch")
        branch_id = staff_scope(request.user)
        return queryset if branch_id is None else queryset.filter(branch_id=branch_id)

    def has_add_permission(self, request, obj=None):
        # New copies arrive through an intake act, which numbers them.
        return False


class RecordForm(forms.ModelForm):
    # Librarians type ISBNs with hyphens (17 characters); the model keeps the compact 13.
    isbn = forms.CharField(label=_("ISBN"), max_length=20, required=False)

    class Meta:
        model = Record
        fields = [
            "title",
            "subtitle",
            "responsibility",
            "publisher",
            "place",
            "year",
            "edition",
            "isbn",
            "series",
            "language",
            "material_type",
            "udc",
            "bbk",
            "subjects",
            "age_rating",
            "annotation",
            "cover",
            "is_local_lore",
            "host",
            "host_part",
            "host_pages",
        ]

    def clean_isbn(self):
        value = self.cleaned_data.get("isbn", "")
        return normalize_isbn(value) if value else ""


@admin.register(Record)
class RecordAdmin(admin.ModelAdmin):
    form = RecordForm
    list_display = ["title", "year", "isbn_display", "material_type", "language", "is_local_lore"]
    list_filter = ["material_type", "language", "is_local_lore", "age_rating"]
    search_fields = ["title", "isbn", "contributions__person__name", "source_id"]
    autocomplete_fields = ["subjects", "host"]
    inlines = [ContributionInline, ItemInline]
    readonly_fields = ["source_id", "created_at", "updated_at"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["title", "subtitle", "responsibility"]}),
        (
            _("Вихідні дані"),
            {"fields": ["publisher", "place", "year", "edition", "isbn", "series"]},
        ),
        (
            _("Зміст і класифікація"),
            {
                "fields": [
                    "language",
                    "material_type",
                    "udc",
                    "bbk",
                    "subjects",
                    "age_rating",
                    "annotation",
                    "cover",
                    "is_local_lore",
                ]
            },
        ),
        (
            _("Аналітичний опис (стаття в газеті, журналі чи збірнику)"),
            {"fields": ["host", "host_part", "host_pages"], "classes": ["collapse"]},
        ),
        (_("Службове"), {"fields": ["source_id", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("ISBN"), ordering="isbn")
    def isbn_display(self, record):
        return record.isbn_display

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Authors and subjects are saved only now; the search document needs them.
        record_reindex(form.instance)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    list_display = ["name", "dates"]

    def save_model(self, request, obj, form, change):
        person_save(person=obj, acting_user=request.user)


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        subject_save(subject=obj, acting_user=request.user)


@admin.register(Item)
class ItemAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    list_display = ["inventory_number", "record", "branch", "shelf_mark", "status", "intake"]
    list_filter = ["status", "branch"]
    list_select_related = ["record", "branch", "intake"]
    search_fields = ["inventory_number", "barcode", "record__title"]
    autocomplete_fields = ["record"]
    # The status moves only through the actions below (item_change_status) and withdrawal acts.
    readonly_fields = ["inventory_number", "status", "intake", "withdrawal", "added_at"]
    show_full_result_count = False
    actions = ["mark_on_shelf", "mark_reference", "mark_lost", "withdraw_selected"]

    def has_add_permission(self, request):
        return False

    def has_withdraw_permission(self, request):
        return request.user.has_perm("catalog.add_withdrawal")

    def _change_status(self, request, queryset, status):
        changed = 0
        for item in queryset:
            try:
                item_change_status(item=item, to=status, acting_user=request.user)
            except ValidationError as refusal:
                self.message_user(
                    request, f"{item.inventory_number}: {refusal.message}", messages.WARNING
                )
            else:
                changed += 1
        self.message_user(
            request,
            _("Змінено стан примірників: %(n)s") % {"n": changed},
            messages.SUCCESS if changed else messages.WARNING,
        )

    @admin.action(description=_("Поставити на полицю (обробку завершено)"), permissions=["change"])
    def mark_on_shelf(self, request, queryset):
        self._change_status(request, queryset, Item.Status.ON_SHELF)

    @admin.action(description=_("Залишити лише для читальної зали"), permissions=["change"])
    def mark_reference(self, request, queryset):
        self._change_status(request, queryset, Item.Status.REFERENCE)

    @admin.action(description=_("Позначити втраченим"), permissions=["change"])
    def mark_lost(self, request, queryset):
        self._change_status(request, queryset, Item.Status.LOST)

    @admin.action(
        description=_("Списати вибрані примірники (скласти акт)"), permissions=["withdraw"]
    )
    def withdraw_selected(self, request, queryset):
        """A page asking for the act (number, date, reason); on its submit the copies are
        written off through withdrawal_create, all of them or none. The list is already
        limited to the librarian's library, so only her copies can be picked."""
        items = list(
            queryset.select_related("record", "branch").order_by("inventory_number")[
                : WITHDRAW_AT_ONCE + 1
            ]
        )
        if not items:
            self.message_user(
                request, _("Не вибрано жодного примірника вашої бібліотеки."), messages.ERROR
            )
            return None
        if len(items) > WITHDRAW_AT_ONCE:
            self.message_user(
                request,
                _("За один раз можна списати не більше %(limit)s примірників.")
                % {"limit": WITHDRAW_AT_ONCE},
                messages.ERROR,
            )
            return None
        if len({item.branch_id for item in items}) > 1:
            self.message_user(
                request,
                _("Акт списання складають для однієї бібліотеки: виберіть примірники лише однієї."),
                messages.ERROR,
            )
            return None
        branch = items[0].branch
        numbers = [item.inventory_number for item in items]
        form = WithdrawalActForm(
            request.POST if "_withdraw" in request.POST else None, branch=branch
        )
        if form.is_bound and form.is_valid():
            try:
                act = withdrawal_create(
                    branch=branch,
                    inventory_numbers=numbers,
                    act_number=form.cleaned_data["act_number"],
                    date=form.cleaned_data["date"],
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                    acting_user=request.user,
                )
            except ValidationError as refusal:
                form.add_error(None, refusal.messages)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "Списано %(count)s примірник за актом № %(act)s.",
                        "Списано %(count)s примірники за актом № %(act)s.",
                        len(items),
                    )
                    % {"count": len(items), "act": act.act_number},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:catalog_withdrawal_change", args=[act.pk]))
        _found, problems = withdrawal_problems(branch=branch, inventory_numbers=numbers)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Списання примірників"),
            "opts": self.model._meta,
            "items": items,
            "branch": branch,
            "problems": problems,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/catalog/item/withdraw_selected.html", context)


@admin.register(IntakeBatch)
class IntakeBatchAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "branch", "date", "source", "supplier", "cost", "copies"]
    list_filter = ["source", "branch"]
    list_select_related = ["branch"]
    search_fields = ["act_number", "supplier"]
    date_hierarchy = "date"
    change_form_template = "admin/catalog/intakebatch/change_form.html"

    @admin.display(description=_("примірників"))
    def copies(self, batch):
        return batch.items.count()

    def get_urls(self):
        return [
            path(
                "<int:pk>/add-copies/",
                self.admin_site.admin_view(self.add_copies_view),
                name="catalog_intakebatch_add_copies",
            ),
            path(
                "records/",
                self.admin_site.admin_view(self.record_lookup_view),
                name="catalog_intakebatch_records",
            ),
        ] + super().get_urls()

    def record_lookup_view(self, request):
        """Records for the suggestions under a row's box, as the librarian types (JSON)."""
        if not request.user.has_perm("catalog.view_record"):
            raise PermissionDenied
        query = request.GET.get("q", "").strip()[:100]
        records = record_candidates(query)[1] if len(query) >= 2 else []
        return JsonResponse(
            [{"id": record.pk, "label": record_label(record)} for record in records], safe=False
        )

    def add_copies_view(self, request, pk):
        """Rows of records and copies. Without JavaScript the page goes in steps, each keeping
        what was typed: «Знайти» looks up each row's ISBN, title or author and offers the
        records found; «Створити запис» adds a record missing from the catalogue and picks it
        in the first free row; «Ще рядки» adds rows; «Додати примірники» takes them in."""
        batch = get_object_or_404(self.get_queryset(request), pk=pk)
        if not (
            self.has_change_permission(request, batch) and request.user.has_perm("catalog.add_item")
        ):
            raise PermissionDenied
        record_form = MinimalRecordForm(prefix="new")
        if request.method != "POST":
            formset = IntakeLineFormSet(prefix="lines")
        elif "_add" in request.POST:
            formset = IntakeLineFormSet(request.POST, prefix="lines")
            if formset.is_valid():
                response = self._intake_lines_add(request, batch, formset)
                if response:
                    return response
        else:
            rows = _typed_rows(request.POST)
            if "_create_record" in request.POST:
                record_form = self._record_create(request, rows)
            if "_more" in request.POST:
                rows += [{} for _row in range(IntakeLineFormSet.extra)]
            formset = _rows_formset(rows)
        lookup_url = reverse("admin:catalog_intakebatch_records")
        for form in formset:
            # record-picker.js turns the box into a list of suggestions that fills the row's
            # hidden record number; while the row offers radio buttons, it stays a plain box.
            if form.fields["record"].widget.input_type == "hidden":
                form.fields["query"].widget.attrs.update(
                    {
                        "data-record-lookup-url": lookup_url,
                        "data-record-input": form["record"].auto_id,
                    }
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Додати примірники до акта %(batch)s") % {"batch": batch},
            "batch": batch,
            "formset": formset,
            "record_form": record_form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/catalog/intakebatch/add_copies.html", context)

    def _intake_lines_add(self, request, batch, formset):
        lines = [
            IntakeLine(
                record=form.cleaned_data["record"],
                copies=form.cleaned_data["copies"],
                price=form.cleaned_data["price"],
                shelf_mark=form.cleaned_data["shelf_mark"],
                barcodes=form.cleaned_data["barcodes"],
            )
            for form in formset
            if form.cleaned_data.get("record")
        ]
        try:
            items = intake_add_copies(batch=batch, lines=lines, acting_user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return None
        messages.success(
            request,
            ngettext(
                "Додано %(n)s примірник: %(first)s – %(last)s. Стан — «в обробці».",
                "Додано %(n)s примірники: %(first)s – %(last)s. Стан — «в обробці».",
                len(items),
            )
            % {
                "n": len(items),
                "first": items[0].inventory_number,
                "last": items[-1].inventory_number,
            },
        )
        return redirect(reverse("admin:catalog_intakebatch_change", args=[batch.pk]))

    def _record_create(self, request, rows):
        form = MinimalRecordForm(request.POST, prefix="new")
        if not form.is_valid():
            return form
        try:
            record = record_create(**form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return form
        free = [row for row in rows if not row.get("record") and not row.get("query")]
        row = free[0] if free else {}
        if not free:
            rows.append(row)
        row["record"] = str(record.pk)
        messages.success(
            request,
            _("Створено запис «%(title)s»; його вибрано в рядку %(row)s.")
            % {"title": record.title, "row": rows.index(row) + 1},
        )
        return MinimalRecordForm(prefix="new")


LINE_FIELDS = ("query", "record", "copies", "price", "shelf_mark", "barcodes")


def _typed_rows(data) -> list[dict]:
    """The rows as typed, for the page to come back with; rows left empty are dropped."""
    try:
        total = min(int(data.get("lines-TOTAL_FORMS", 0)), IntakeLineFormSet.absolute_max)
    except ValueError:
        total = 0
    rows = []
    for index in range(max(total, 0)):
        row = {name: data.get(f"lines-{index}-{name}", "").strip() for name in LINE_FIELDS}
        if any(row.values()):
            rows.append(row)
    return rows


def _rows_formset(rows):
    """An unbound formset showing the rows, each row's ISBN, title or author looked up: one
    record found by its exact ISBN is picked, several are offered to choose from."""
    records = Record.objects.prefetch_related("contributions__person").in_bulk(
        [int(row["record"]) for row in rows if row.get("record", "").isdigit()]
    )
    offers = {}
    for index, row in enumerate(rows):
        record = records.get(int(row["record"])) if row.get("record", "").isdigit() else None
        if record is None:
            row["record"] = ""
        if record is None and row.get("query"):
            mode, found = record_candidates(row["query"])
            if mode == "exact" and len(found) == 1:
                record = found[0]
                row["record"] = str(record.pk)
            else:
                offers[index] = found
        if record is not None:
            row["query"] = record_label(record)
    formset = IntakeLineFormSet(initial=rows, prefix="lines")
    for index, form in enumerate(formset):
        form.searched = index in offers
        if offers.get(index):
            field = form.fields["record"]
            field.label = _("Оберіть запис для рядка %(row)s") % {"row": index + 1}
            field.widget = forms.RadioSelect(
                choices=[(record.pk, record_label(record)) for record in offers[index]]
            )
    return formset


@admin.register(Withdrawal)
class WithdrawalAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "branch", "date", "reason", "copies"]
    list_filter = ["reason", "branch"]
    list_select_related = ["branch"]
    date_hierarchy = "date"

    @admin.display(description=_("примірників"))
    def copies(self, withdrawal):
        return withdrawal.items.count()

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = WithdrawalForm
        return super().get_form(request, obj, change=change, **kwargs)

    def log_addition(self, request, obj, message):
        # withdrawal_create has written the act's entry, with the number of copies.
        return None

    def get_readonly_fields(self, request, obj=None):
        # A signed act is not rewritten; a new act corrects it.
        return ["branch", "date", "act_number", "reason"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        created = withdrawal_create(
            branch=form.cleaned_data["branch"],
            act_number=form.cleaned_data["act_number"],
            reason=form.cleaned_data["reason"],
            inventory_numbers=form.cleaned_data["inventory_numbers"],
            date=form.cleaned_data["date"],
            note=form.cleaned_data["note"],
            acting_user=request.user,
        )
        obj.pk = created.pk
        obj._state.adding = False


@admin.register(OnlineResource)
class OnlineResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "topic", "language", "is_published"]
    list_filter = ["topic", "language", "is_published"]
    search_fields = ["title", "url"]


@admin.register(PurchaseSuggestion)
class PurchaseSuggestionAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "author", "branch", "status", "created_at"]
    list_filter = ["status", "branch"]
    list_select_related = ["branch"]
    search_fields = ["title", "author"]
    readonly_fields = ["search_query", "created_at"]


@admin.register(SearchLog)
class SearchLogAdmin(admin.ModelAdmin):
    list_display = ["query", "hits", "branch", "created_at"]
    list_filter = ["created_at", "branch"]
    list_select_related = ["branch"]
    search_fields = ["normalized"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# MARC uploads live in the marc package; importing its admin registers them.
from catalog.marc import admin as marc_admin  # noqa: E402, F401
