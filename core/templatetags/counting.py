"""`{% load counting %}{% count_phrase cl.result_count cl.opts %}`
→ «2045 бібліографічних записів» (core.counting)."""

from django import template

from core import counting

register = template.Library()


@register.simple_tag
def count_phrase(count, opts):
    return counting.count_phrase(count, opts)


@register.simple_tag
def counted_noun(count, opts):
    return counting.counted_noun(count, opts)
