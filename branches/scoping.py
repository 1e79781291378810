"""Admin scoping by branch: a librarian sees and edits only their own library's records.

Other apps' admins reuse `BranchScopedAdminMixin` and name the path from their model to the
branch in `branch_field`. Network-wide staff (methodologists) and superusers see everything;
staff without a profile see nothing, the safe default.
"""

from branches.models import Branch


def staff_scope(user):
    """None for network-wide users, else the id of the user's branch (0 when there is none)."""
    if user.is_superuser:
        return None
    profile = getattr(user, "staff_profile", None)
    if profile is None:
        return 0
    if profile.is_network_wide:
        return None
    return profile.branch_id or 0


class BranchScopedAdminMixin:
    branch_field = "branch"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        branch_id = staff_scope(request.user)
        if branch_id is None:
            return queryset
        return queryset.filter(**{self.branch_field: branch_id})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        branch_id = staff_scope(request.user)
        if db_field.related_model is Branch and branch_id is not None:
            kwargs["queryset"] = Branch.objects.filter(pk=branch_id)
            kwargs["initial"] = branch_id
            if db_field.name == self.branch_field:
                # The record is saved under the user's library whatever is posted (see
                # save_model), so an empty choice («whole network») is not theirs to offer.
                kwargs["required"] = True
                kwargs["empty_label"] = None
                kwargs["help_text"] = ""
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _in_scope(self, request, obj):
        if obj is None or obj.pk is None:
            return True
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)

    def save_model(self, request, obj, form, change):
        branch_id = staff_scope(request.user)
        if branch_id is not None and self.branch_field == "branch":
            obj.branch_id = branch_id
        super().save_model(request, obj, form, change)


class BranchScopedInlineMixin:
    """Inlines live under a parent the admin already scoped; only limit branch choices."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        branch_id = staff_scope(request.user)
        if db_field.related_model is Branch and branch_id is not None:
            kwargs["queryset"] = Branch.objects.filter(pk=branch_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
