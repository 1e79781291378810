"""`{% survey_after_event event as survey %}`: the open survey a page of a held event links to
(one made for that event, else one of its library or of the network), or None. One query.
Other apps' templates load it by name, so they import nothing of reference."""

from django import template
from django.db.models import F, Q

from reference.models import Survey

register = template.Library()


@register.simple_tag
def survey_after_event(event):
    if event is None:
        return None
    general = Q(event__isnull=True) & (Q(branch_id=event.branch_id) | Q(branch__isnull=True))
    return (
        Survey.objects.open()
        .filter(Q(event_id=event.pk) | general)
        .order_by(F("event_id").asc(nulls_last=True), F("branch_id").asc(nulls_last=True), "-pk")
        .first()
    )
