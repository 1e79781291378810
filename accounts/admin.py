from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import ReaderProfile, StaffProfile, User
from branches.scoping import BranchScopedAdminMixin


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
    raw_id_fields = ["user"]
