"""What staff do to news items: publish and withdraw, each logged (core.audit)."""

from django.db import transaction
from django.utils import timezone

from core.audit import audit_log, audit_status_message
from news.models import NewsItem


@transaction.atomic
def news_item_transition(*, item: NewsItem, status: str, acting_user) -> NewsItem:
    """Move `item` to `status` if the workflow allows it (NewsItem.TRANSITIONS).

    Publishing without a date dates the item now; a date already set (in the future too) is
    kept, so an item can be prepared to appear on a given morning."""
    item = NewsItem.objects.select_for_update().get(pk=item.pk)
    item.transition_check(status)
    old = item.status
    item.status = status
    if status == NewsItem.Status.PUBLISHED and item.published_at is None:
        item.published_at = timezone.now()
    item.save(update_fields=["status", "published_at", "updated_at"])
    audit_log(user=acting_user, obj=item, message=audit_status_message(item, old, item.status))
    return item
