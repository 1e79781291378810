from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import ReaderProfile, StaffProfile, User
from accounts.services import reader_confirm, reader_register, reader_reregister
from branches.scoping import BranchScopedAdminMixin, staff_scope
from core.phones import PhoneFormField


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [StaffProfileInline]
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "staff_branch"]
    list_select_related = ["staff_profile__branch"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Контакти"), {"fields": ["phone", "preferred_language"]}),
    )

    @admin.display(description=_("бібліотека"))
    def staff_branch(self, user):
        profile = getattr(user, "staff_profile", None)
        return profile.branch if profile else "—"


class ReaderDeskForm(forms.ModelForm):
    """Desk sign-up in one form: the person and their card together (accounts.services
    `reader_register`; the card number comes from the sequence, the document is checked)."""

    first_name = forms.CharField(label=_("Імʼя"), max_length=150)
    last_name = forms.CharField(label=_("Прізвище"), max_length=150)
    email = forms.EmailField(label=_("Е-пошта"), required=False)
    phone = PhoneFormField(label=_("Телефон"), required=False)
    birth_year = forms.IntegerField(label=_("Рік народження"), min_value=1900, max_value=2100)
    category = forms.ChoiceField(
        label=_("Категорія"),
        choices=[("", _("За роком народження")), *ReaderProfile.Category.choices],
        required=False,
    )
    consent = forms.BooleanField(
        label=_("Читач погодився на обробку персональних даних"),
        error_messages={"required": _("Без згоди читача записати не можна.")},
    )

    class Meta:
        model = ReaderProfile
        fields = ["home_branch", "guardian_name", "guardian_contact"]

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        if year > timezone.localdate().year:
            raise ValidationError(_("Рік народження не може бути в майбутньому."))
        return year

    def clean_email(self):
        email = self.cleaned_data.get("email", "")
        if email and User.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("Читач з такою е-поштою вже записаний."))
        return email

    def clean(self):
        cleaned = super().clean()
        if ReaderProfile.needs_guardian(cleaned.get("birth_year")):
            for name in ("guardian_name", "guardian_contact"):
                if not (cleaned.get(name) or "").strip():
                    self.add_error(
                        name, _("Дітей до 14 років записують з одним із батьків або опікуном.")
                    )
        return cleaned


@admin.register(ReaderProfile)
class ReaderProfileAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    branch_field = "home_branch"
    list_display = [
        "card_number",
        "user",
        "home_branch",
        "category",
        "status",
        "document_checked_on",
        "created_at",
    ]
    list_filter = ["status", "category", "home_branch"]
    list_select_related = ["user", "home_branch"]
    search_fields = ["card_number", "user__last_name", "user__email"]
    # A stable order, or the autocomplete's pages may repeat or skip a reader.
    ordering = ["card_number", "pk"]
    actions = ["confirm_selected", "reregister_selected"]
    readonly_fields = [
        "card_number",
        "status",
        "document_checked_by",
        "document_checked_on",
        "consent_given_at",
        "consent_version",
        "left_on",
        "print_card",
    ]
    fields = [
        "card_number",
        "user",
        "home_branch",
        "birth_year",
        "category",
        "guardian_name",
        "guardian_contact",
        "status",
        "document_checked_by",
        "document_checked_on",
        "reregistered_on",
        "left_on",
        "consent_given_at",
        "consent_version",
        "print_card",
    ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return [
                "last_name",
                "first_name",
                "birth_year",
                "email",
                "phone",
                "home_branch",
                "category",
                "guardian_name",
                "guardian_contact",
                "consent",
            ]
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ReaderDeskForm
            kwargs["fields"] = None
        form = super().get_form(request, obj, change, **kwargs)
        field = form.base_fields.get("user")
        if field is not None:
            free = Q(is_active=True, is_superuser=False, reader_profile__isnull=True)
            branch_id = staff_scope(request.user)
            if branch_id is not None:
                # Staff of other libraries are their libraries' people: their names and
                # e-mails are not this librarian's to list.
                free &= Q(staff_profile__isnull=True) | Q(staff_profile__branch_id=branch_id)
            if obj is not None and obj.user_id:
                free |= Q(pk=obj.user_id)
            field.queryset = User.objects.filter(free).order_by(
                "last_name", "first_name", "username"
            )
            field.label_from_instance = _user_choice_label
        return form

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        try:
            profile = reader_register(
                home_branch=data["home_branch"],
                birth_year=data["birth_year"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data.get("email") or "",
                phone=data.get("phone") or "",
                guardian_name=data.get("guardian_name") or "",
                guardian_contact=data.get("guardian_contact") or "",
                category=data.get("category") or None,
                acting_user=request.user,
            )
        except (ValidationError, PermissionDenied) as error:
            raise PermissionDenied(str(error)) from error
        # The admin goes on with this object (its message, its change page).
        obj.pk = profile.pk
        obj.__dict__.update(profile.__dict__)

    def response_add(self, request, obj, post_url_continue=None):
        # On to the new reader's page, where the card is printed.
        if "_addanother" in request.POST or IS_POPUP_VAR in request.POST:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(
            request,
            _("Читача записано, номер квитка %(card)s.") % {"card": obj.card_number},
            messages.SUCCESS,
        )
        return redirect("admin:accounts_readerprofile_change", obj.pk)

    def log_addition(self, request, obj, message):
        # reader_register wrote the entry already.
        return None

    @admin.action(description=_("Документ перевірено: підтвердити запис"), permissions=["change"])
    def confirm_selected(self, request, queryset):
        confirmed = 0
        for profile in queryset.filter(status=ReaderProfile.Status.PRE_REGISTERED):
            if self.has_change_permission(request, profile):
                reader_confirm(reader=profile, acting_user=request.user)
                confirmed += 1
        self.message_user(
            request,
            ngettext(
                "Підтверджено запис %(count)d читача.",
                "Підтверджено записи %(count)d читачів.",
                confirmed,
            )
            % {"count": confirmed},
            messages.SUCCESS if confirmed else messages.WARNING,
        )

    @admin.action(description=_("Перереєструвати на цей рік"), permissions=["change"])
    def reregister_selected(self, request, queryset):
        done = 0
        for profile in queryset.filter(status=ReaderProfile.Status.ACTIVE):
            if self.has_change_permission(request, profile):
                reader_reregister(reader=profile, acting_user=request.user)
                done += 1
        self.message_user(
            request,
            ngettext(
                "Перереєстровано %(count)d читача.",
                "Перереєстровано %(count)d читачів.",
                done,
            )
            % {"count": done},
            messages.SUCCESS if done else messages.WARNING,
        )

    @admin.display(description=_("квиток"))
    def print_card(self, profile):
        if profile is None or profile.pk is None:
            return "—"
        url = reverse("admin:accounts_readerprofile_card", args=[profile.pk])
        return format_html('<a href="{}">{}</a>', url, _("Надрукувати квиток"))

    def get_urls(self):
        return [
            path(
                "<int:object_id>/card/",
                self.admin_site.admin_view(self.card_view),
                name="accounts_readerprofile_card",
            ),
            path(
                "<int:object_id>/confirm/",
                self.admin_site.admin_view(self.confirm_view),
                name="accounts_readerprofile_confirm",
            ),
            *super().get_urls(),
        ]

    def _scoped_object(self, request, object_id, *, change=False):
        profile = self.get_object(request, str(object_id))
        allowed = (
            self.has_change_permission(request, profile)
            if change
            else self.has_view_permission(request, profile)
        )
        if profile is None or not allowed:
            raise Http404
        return profile

    def card_view(self, request, object_id):
        from accounts.views import card_print

        return card_print(request, self._scoped_object(request, object_id))

    def confirm_view(self, request, object_id):
        """The «Документ перевірено» button on the reader's page (POST only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        profile = self._scoped_object(request, object_id, change=True)
        if profile.status == ReaderProfile.Status.PRE_REGISTERED:
            reader_confirm(reader=profile, acting_user=request.user)
            self.message_user(request, _("Документ перевірено, запис підтверджено."))
        return redirect("admin:accounts_readerprofile_change", profile.pk)

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["show_confirm"] = bool(
            obj is not None
            and obj.status == ReaderProfile.Status.PRE_REGISTERED
            and self.has_change_permission(request, obj)
        )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    change_form_template = "admin/accounts/readerprofile/change_form.html"


def _user_choice_label(user):
    """«Іваненко Олена — olena@example.com»: enough to tell namesakes apart."""
    name = " ".join(part for part in (user.last_name, user.first_name) if part) or user.username
    return f"{name} — {user.email}" if user.email else name


class LockoutAdmin(AccessAttemptAdmin):
    """django-axes' sign-in lockouts; its clean-up action deletes attempts, so it asks for the
    delete permission like every other action here (tests/test_admin_actions.py)."""

    @admin.action(
        description=AccessAttemptAdmin.cleanup_expired_attempts.short_description,
        permissions=["delete"],
    )
    def cleanup_expired_attempts(self, request, queryset):
        return super().cleanup_expired_attempts(request, queryset)


# axes registers its admin first (it comes earlier in INSTALLED_APPS), unless switched off.
if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, LockoutAdmin)
