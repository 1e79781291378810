"""News for the home page and a library's page.

`branches` and the portal's home may not import `news` (dependencies point one way), so their
templates load this tag library instead: the template names the dependency, the code does not.
"""

from django import template

from news.models import NewsItem

register = template.Library()


@register.inclusion_tag("news/_latest.html")
def latest_news(limit=3):
    """The newest published items of the whole network and every library: one query."""
    items = list(NewsItem.objects.published().select_related("branch").newest_first()[:limit])
    return {"items": items, "branch": None}


@register.inclusion_tag("news/_latest.html")
def branch_news(branch, limit=3):
    """The library's own items and the network's: one query."""
    items = list(
        NewsItem.objects.published()
        .for_branch(branch)
        .select_related("branch")
        .newest_first()[:limit]
    )
    return {"items": items, "branch": branch}
