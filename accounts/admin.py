from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import ReaderProfile, StaffProfile, User
from branches.scoping import BranchScopedAdminMixin, staff_scope


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


@admin.register(ReaderProfile)
class ReaderProfileAdmin(BranchScopedAdminMixin, admin.ModelAdmin):
    branch_field = "home_branch"
    list_display = ["card_number", "user", "home_branch", "category", "created_at"]
    list_filter = ["category", "home_branch"]
    list_select_related = ["user", "home_branch"]
    search_fields = ["card_number", "user__last_name", "user__email"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        """«Читач» is a plain list, not a lookup into the user admin (librarians may not open
        it): active people who have no card yet, plus the card's own holder when editing."""
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
