from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def figure(value):
    """A number as the report prints it; «немає даних» where no app provides it (yet)."""
    if value is None:
        return _("немає даних")
    return number_format(value, force_grouping=True)


@register.filter
def status_class(milestone):
    return "overdue" if milestone.overdue else milestone.status


@register.filter
def metric_source(metric):
    """Where a metric's figures come from, in words (its code is shown beside, small)."""
    from strategy.figures import source_text

    return source_text(metric)
