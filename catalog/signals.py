"""A tombstone for every deleted record, however it is deleted (the admin's delete page or
bulk action, a queryset in a shell): harvesters keep copies of our records and must hear of
deletions (OAI-PMH deletedRecord=persistent). Before the deletion, while its copies still
tell which libraries' sets it was in."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone

from catalog.models import DeletedRecord, Item, Record
from catalog.protocols.sets import record_set_specs


@receiver(pre_delete, sender=Record, dispatch_uid="catalog_record_tombstone")
def record_tombstone(sender, instance: Record, using, **kwargs):
    slugs = (
        Item.objects.using(using)
        .filter(record_id=instance.pk)
        .exclude(status=Item.Status.WITHDRAWN)
        .values_list("branch__slug", flat=True)
    )
    DeletedRecord.objects.using(using).update_or_create(
        record_id=instance.pk,
        defaults={"deleted_at": timezone.now(), "sets": record_set_specs(instance, slugs)},
    )
