from django.contrib import admin

from core.models import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """Read-only, for administrators: what waits, what failed and why. Addresses are personal
    data of every library, so branch staff do not see this list."""

    list_display = ["created_at", "template", "language", "status", "attempts", "sent_at"]
    list_filter = ["status", "language"]
    search_fields = ["to"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in OutgoingMail._meta.fields]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
