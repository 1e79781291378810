"""Libraries in the portal's search box (core.portal_search): the branches page's own
«Назва або адреса» filter, so the count here is what that page lists."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from branches.filters import BranchFilter
from branches.models import Branch
from core.portal_search import Found, Hit, SearchSection, register, with_query


def find_branches(query: str, limit: int) -> Found:
    branches = BranchFilter({"q": query}, queryset=Branch.objects.public()).qs
    count = branches.count()
    hits = [
        Hit(
            title=branch.name,
            url=branch.get_absolute_url(),
            detail=branch.address,
        )
        for branch in (branches[:limit] if count else [])
    ]
    return Found(count=count, hits=hits)


def register_section() -> None:
    register(
        SearchSection(
            key="branches",
            title=_("Бібліотеки"),
            find=find_branches,
            more_url=lambda query: with_query(reverse("branches:list"), query),
            order=50,
        )
    )
