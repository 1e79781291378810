from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import formset_factory
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from branches.scoping import BranchScopedAdminMixin, BranchScopedInlineMixin, staff_scope
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
from catalog.services import (
    IntakeLine,
    intake_add_copies,
    item_change_status,
    parse_inventory_numbers,
    person_save,
    subject_save,
    withdrawal_create,
    withdrawal_problems,
)


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
    autocomplete_fields = ["subjects"]
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
    actions = ["mark_on_shelf", "mark_reference", "mark_lost"]

    def has_add_permission(self, request):
        return False

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


class IntakeLineForm(forms.Form):
    record = forms.ModelChoiceField(
        label=_("Запис"),
        queryset=Record.objects.all(),
        widget=forms.TextInput(attrs={"size": 8}),
        help_text=_("Номер запису в каталозі"),
    )
    copies = forms.IntegerField(label=_("Примірників"), min_value=1, max_value=500, initial=1)
    price = forms.DecimalField(
        label=_("Ціна, грн"), min_value=0, max_digits=10, decimal_places=2, initial=0
    )
    shelf_mark = forms.CharField(label=_("Шифр зберігання"), max_length=80, required=False)


IntakeLineFormSet = formset_factory(IntakeLineForm, extra=5, max_num=50)


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
            )
        ] + super().get_urls()

    def add_copies_view(self, request, pk):
        batch = get_object_or_404(self.get_queryset(request), pk=pk)
        if not (
            self.has_change_permission(request, batch) and request.user.has_perm("catalog.add_item")
        ):
            raise PermissionDenied
        formset = IntakeLineFormSet(request.POST or None, prefix="lines")
        if request.method == "POST" and formset.is_valid():
            lines = [
                IntakeLine(
                    record=form.cleaned_data["record"],
                    copies=form.cleaned_data["copies"],
                    price=form.cleaned_data["price"],
                    shelf_mark=form.cleaned_data["shelf_mark"],
                )
                for form in formset
                if form.cleaned_data
            ]
            try:
                items = intake_add_copies(batch=batch, lines=lines, acting_user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("Додано %(n)s примірників: %(first)s – %(last)s. Вони «в обробці».")
                    % {
                        "n": len(items),
                        "first": items[0].inventory_number,
                        "last": items[-1].inventory_number,
                    },
                )
                return redirect(reverse("admin:catalog_intakebatch_change", args=[batch.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Додати примірники до акта %(batch)s") % {"batch": batch},
            "batch": batch,
            "formset": formset,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/catalog/intakebatch/add_copies.html", context)


class WithdrawalForm(forms.ModelForm):
    inventory_numbers = forms.CharField(
        label=_("Інвентарні номери"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("По одному в рядку або через кому; можна сканером штрихкодів."),
    )

    class Meta:
        model = Withdrawal
        fields = ["branch", "date", "act_number", "reason", "note"]

    def clean(self):
        cleaned = super().clean()
        branch = cleaned.get("branch")
        numbers = parse_inventory_numbers(cleaned.get("inventory_numbers", ""))
        if branch and numbers:
            _items, problems = withdrawal_problems(branch=branch, inventory_numbers=numbers)
            if problems:
                self.add_error("inventory_numbers", problems)
        cleaned["inventory_numbers"] = numbers
        return cleaned


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
