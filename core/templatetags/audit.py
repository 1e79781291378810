"""`{% load audit %}{{ entry|audit_text }}`: a log entry's message in the reader's language,
with status labels instead of codes (core.audit.audit_text)."""

from django import template

from core import audit

register = template.Library()


@register.filter
def audit_text(entry):
    return audit.audit_text(entry)
