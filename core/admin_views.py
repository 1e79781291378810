"""The admin's «Дивитися на сайті» shortcut, asked of the object's own admin first.

Django's `/admin/r/<content type>/<id>/` redirects any staff member to `get_absolute_url()` of
any object, whoever's it is. For a registration or a booking that address is the person's
secret link (their name, a cancel button), so a librarian of one library could open — and
cancel — another library's bookings. Here the shortcut answers only for objects the staff
member may open in the admin, and never for models that hold personal data (those with an
`audit_label`): a secret link belongs to the person it was sent to, not to staff.
`lutsk_cbs/urls.py` puts this view in front of the admin's own.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404


def holds_personal_data(model) -> bool:
    """Models that describe people mark it by an `audit_label` (see core.audit)."""
    return isinstance(getattr(model, "audit_label", None), property)


def view_on_site(request, content_type_id, object_id):
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        raise Http404 from None
    model_admin = admin.site._registry.get(model)
    if model_admin is None or holds_personal_data(model):
        raise Http404
    # get_object reads through the admin's queryset, which a library's admin scopes.
    obj = model_admin.get_object(request, unquote(object_id))
    if obj is None or not model_admin.has_view_or_change_permission(request, obj):
        raise Http404
    return shortcut(request, content_type_id, object_id)
