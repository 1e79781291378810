"""Actions on the catalogue that change several rows: intake of new copies, their status,
withdrawal, and names and subjects that many records carry."""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BigIntegerField, Max
from django.db.models.functions import Cast, Substr
from django.utils.translation import gettext as _

from branches.models import Branch
from catalog.indexing import records_reindex, search_cache_invalidate
from catalog.models import (
    IntakeBatch,
    InventoryCounter,
    Item,
    Person,
    Record,
    Subject,
    Withdrawal,
)
from core.audit import audit_log

INVENTORY_DIGITS = 7


@dataclass(frozen=True)
class IntakeLine:
    record: Record
    copies: int
    price: Decimal = Decimal("0")
    shelf_mark: str = ""


def inventory_prefix(branch: Branch) -> str:
    """Each library numbers its own stock: «05-0000123» is copy 123 of library 5."""
    return f"{branch.pk:02d}-"


def inventory_numbers_reserve(*, branch: Branch, count: int) -> list[str]:
    """The next `count` inventory numbers of a branch; concurrent intakes never share one."""
    prefix = inventory_prefix(branch)
    counter, created = InventoryCounter.objects.select_for_update().get_or_create(branch=branch)
    if created or counter.last_number == 0:
        counter.last_number = _highest_used(prefix)
    first = counter.last_number + 1
    counter.last_number += count
    counter.save(update_fields=["last_number"])
    return [f"{prefix}{n:0{INVENTORY_DIGITS}d}" for n in range(first, first + count)]


def _highest_used(prefix: str) -> int:
    # Copies loaded by MARC import or the demo seed may already use this library's numbers.
    highest = Item.objects.filter(
        inventory_number__regex=rf"^{re.escape(prefix)}[0-9]+$"
    ).aggregate(top=Max(Cast(Substr("inventory_number", len(prefix) + 1), BigIntegerField())))[
        "top"
    ]
    return highest or 0


@transaction.atomic
def intake_add_copies(*, batch: IntakeBatch, lines: list[IntakeLine], acting_user) -> list[Item]:
    """Register new copies under an intake act, with generated inventory numbers.

    The copies start «В обробці» (in processing) until a librarian shelves them.
    """
    total = sum(line.copies for line in lines)
    if total <= 0:
        raise ValidationError(_("Вкажіть хоча б один примірник."))
    numbers = iter(inventory_numbers_reserve(branch=batch.branch, count=total))
    items = [
        Item(
            record=line.record,
            branch=batch.branch,
            inventory_number=next(numbers),
            shelf_mark=line.shelf_mark,
            price=line.price,
            status=Item.Status.IN_PROCESSING,
            intake=batch,
        )
        for line in lines
        for _copy in range(line.copies)
    ]
    Item.objects.bulk_create(items)
    # The library facet and filter of cached searches would miss the new copies.
    transaction.on_commit(search_cache_invalidate)
    audit_log(
        user=acting_user,
        obj=batch,
        message=_("Додано примірників: %(count)s (%(first)s–%(last)s)")
        % {"count": total, "first": items[0].inventory_number, "last": items[-1].inventory_number},
    )
    return items


@transaction.atomic
def item_change_status(*, item: Item, to: str, acting_user) -> Item:
    """Move a copy along its workflow (Item.TRANSITIONS): shelved after processing, kept for
    the reading room, lost or found. Write-offs go through withdrawal_create."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    if item.status == to:
        return item
    item.transition_check(to)
    old = item.get_status_display()
    item.status = to
    item.save(update_fields=["status"])
    # Availability is a search facet and filter: cached results would still show the old state.
    transaction.on_commit(search_cache_invalidate)
    audit_log(
        user=acting_user,
        obj=item,
        message=_("Стан: %(old)s → %(new)s") % {"old": old, "new": item.get_status_display()},
    )
    return item


def parse_inventory_numbers(text: str) -> list[str]:
    """One number per line or separated by commas/spaces, as a barcode scanner types them."""
    seen = []
    for token in re.split(r"[\s,;]+", text or ""):
        if token and token not in seen:
            seen.append(token)
    return seen


def withdrawal_problems(*, branch: Branch, inventory_numbers: list[str], lock=False):
    """The copies to write off and, per inventory number, what stops it (in Ukrainian)."""
    items = Item.objects.filter(inventory_number__in=inventory_numbers)
    if lock:
        items = items.select_for_update()
    found = {item.inventory_number: item for item in items}
    problems = []
    for number in inventory_numbers:
        item = found.get(number)
        if item is None:
            problems.append(_("%(number)s: такого примірника немає.") % {"number": number})
        elif item.branch_id != branch.pk:
            problems.append(
                _("%(number)s: примірник належить іншій бібліотеці.") % {"number": number}
            )
        elif item.status == Item.Status.WITHDRAWN:
            problems.append(_("%(number)s: уже списано.") % {"number": number})
        elif item.status == Item.Status.ON_LOAN:
            problems.append(_("%(number)s: примірник видано читачеві.") % {"number": number})
    return list(found.values()), problems


@transaction.atomic
def withdrawal_create(
    *,
    branch: Branch,
    act_number: str,
    reason: str,
    inventory_numbers: list[str],
    acting_user,
    date=None,
    note: str = "",
) -> Withdrawal:
    """Write off copies of one library under one act: all of them or none."""
    if not inventory_numbers:
        raise ValidationError(_("Вкажіть інвентарні номери примірників для списання."))
    items, problems = withdrawal_problems(
        branch=branch, inventory_numbers=inventory_numbers, lock=True
    )
    if problems:
        raise ValidationError(problems)
    withdrawal = Withdrawal(branch=branch, act_number=act_number, reason=reason, note=note)
    if date:
        withdrawal.date = date
    withdrawal.full_clean()
    withdrawal.save()
    Item.objects.filter(pk__in=[item.pk for item in items]).update(
        status=Item.Status.WITHDRAWN, withdrawal=withdrawal
    )
    transaction.on_commit(search_cache_invalidate)
    audit_log(
        user=acting_user,
        obj=withdrawal,
        action="added",
        message=_("Списано примірників: %(count)s") % {"count": len(items)},
    )
    return withdrawal


@transaction.atomic
def person_save(*, person: Person, acting_user=None) -> Person:
    """Save an author's name; the records that carry it are reindexed once it is committed,
    so that a corrected spelling finds them and the old one no longer does."""
    person.save()
    _reindex_after_commit(Record.objects.filter(contributions__person=person))
    return person


@transaction.atomic
def subject_save(*, subject: Subject, acting_user=None) -> Subject:
    """Save a subject heading; the records under it are reindexed once it is committed."""
    subject.save()
    _reindex_after_commit(Record.objects.filter(subjects=subject))
    return subject


def _reindex_after_commit(records) -> None:
    # After commit: the documents are rebuilt from what other transactions can read, and a
    # rolled-back rename leaves the index alone.
    ids = records.values_list("pk", flat=True).distinct()
    transaction.on_commit(lambda: records_reindex(list(ids)))
