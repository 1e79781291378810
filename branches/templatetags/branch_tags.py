from django import template

from branches.presentation import status_text

register = template.Library()


@register.filter
def open_status(status):
    return status_text(status)
