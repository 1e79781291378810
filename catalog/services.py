"""Actions on the catalogue that change several rows: intake of new copies, their status,
withdrawal, and names and subjects that many records carry."""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, Max, Q
from django.db.models.functions import Cast, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from branches.models import Branch
from catalog.indexing import record_reindex, records_reindex, search_cache_invalidate
from catalog.models import (
    Contribution,
    IntakeBatch,
    InventoryCounter,
    Item,
    Person,
    Record,
    Subject,
    Withdrawal,
)
from core.audit import audit_log, audit_status_message

INVENTORY_DIGITS = 7


@dataclass(frozen=True)
class IntakeLine:
    record: Record
    copies: int
    price: Decimal = Decimal("0")
    shelf_mark: str = ""
    # Scanned from the labels stuck on the copies; the first copies of the line get them.
    barcodes: tuple[str, ...] = ()


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
    problems = intake_barcode_problems(lines=lines)
    if problems:
        raise ValidationError(problems)
    numbers = iter(inventory_numbers_reserve(branch=batch.branch, count=total))
    items = [
        Item(
            record=line.record,
            branch=batch.branch,
            inventory_number=next(numbers),
            barcode=line.barcodes[copy] if copy < len(line.barcodes) else None,
            shelf_mark=line.shelf_mark,
            price=line.price,
            status=Item.Status.IN_PROCESSING,
            intake=batch,
        )
        for line in lines
        for copy in range(line.copies)
    ]
    try:
        with transaction.atomic():
            Item.objects.bulk_create(items)
    except IntegrityError as error:
        # Another librarian stuck the same barcode on a copy a moment ago.
        raise ValidationError(
            _("Хтось щойно зареєстрував примірник із одним із цих штрихкодів; перевірте їх.")
        ) from error
    # The library facet and filter of cached searches would miss the new copies.
    transaction.on_commit(search_cache_invalidate)
    audit_log(
        user=acting_user,
        obj=batch,
        message=_("Додано примірників: %(count)s (%(first)s–%(last)s)")
        % {"count": total, "first": items[0].inventory_number, "last": items[-1].inventory_number},
    )
    return items


def intake_barcode_problems(*, lines: list[IntakeLine]) -> list[str]:
    """What stops the scanned barcodes of an intake, per barcode (in Ukrainian)."""
    problems = []
    seen = set()
    for line in lines:
        if len(line.barcodes) > line.copies:
            problems.append(
                ngettext(
                    "«%(title)s»: відскановано %(count)s штрихкод, а примірників менше.",
                    "«%(title)s»: відскановано %(count)s штрихкоди, а примірників менше.",
                    len(line.barcodes),
                )
                % {"title": line.record.title, "count": len(line.barcodes)}
            )
        for barcode in line.barcodes:
            if barcode in seen:
                problems.append(
                    _("Штрихкод %(barcode)s відскановано двічі.") % {"barcode": barcode}
                )
            seen.add(barcode)
    taken = Item.objects.filter(barcode__in=seen).values_list("barcode", "inventory_number")
    for barcode, number in taken:
        problems.append(
            _("Штрихкод %(barcode)s уже має примірник %(number)s.")
            % {"barcode": barcode, "number": number}
        )
    return problems


@transaction.atomic
def record_create(
    *, title: str, author: str = "", year: int | None = None, isbn: str = "", acting_user
) -> Record:
    """A minimal record for a book not yet in the catalogue, made while taking it in; the
    cataloguer completes it later. An ISBN already in the catalogue is refused: the copies
    belong to that record."""
    record = Record(title=title.strip(), year=year, isbn=isbn)
    record.full_clean()
    if record.isbn and Record.objects.filter(isbn=record.isbn).exists():
        raise ValidationError(
            {"isbn": _("Запис із цим ISBN уже є в каталозі; знайдіть його за ISBN.")}
        )
    record.save()
    if author.strip():
        person, _created = Person.objects.get_or_create(name=author.strip())
        Contribution.objects.create(record=record, person=person, role=Contribution.Role.AUTHOR)
    record_reindex(record)
    audit_log(
        user=acting_user, obj=record, action="added", message=_("Створено під час надходження")
    )
    return record


@transaction.atomic
def item_change_status(*, item: Item, to: str, acting_user) -> Item:
    """Move a copy along its workflow (Item.TRANSITIONS): shelved after processing, kept for
    the reading room, lost or found. Write-offs go through withdrawal_create."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    if item.status == to:
        return item
    item.transition_check(to)
    old = item.status
    item.status = to
    item.save(update_fields=["status"])
    # Availability is a search facet and filter: cached results would still show the old state.
    transaction.on_commit(search_cache_invalidate)
    audit_log(
        user=acting_user,
        obj=item,
        message=audit_status_message(item, old, item.status),
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
    """The copies to write off and, per inventory number or barcode, what stops it (in
    Ukrainian). A copy named twice (by its number and its barcode) is written off once."""
    items = Item.objects.filter(
        Q(inventory_number__in=inventory_numbers) | Q(barcode__in=inventory_numbers)
    ).order_by("inventory_number")
    if lock:
        items = items.select_for_update()
    found = {}
    for item in items:
        found[item.inventory_number] = item
        if item.barcode:
            found.setdefault(item.barcode, item)
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
        elif item.status in (Item.Status.IN_TRANSIT, Item.Status.ON_HOLD_SHELF):
            problems.append(
                _("%(number)s: примірник у дорозі або відкладений для читача.") % {"number": number}
            )
    return list({item.pk: item for item in found.values()}.values()), problems


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
    records = Record.objects.filter(contributions__person=person)
    _touch(records)
    _reindex_after_commit(records)
    return person


@transaction.atomic
def subject_save(*, subject: Subject, acting_user=None) -> Subject:
    """Save a subject heading; the records under it are reindexed once it is committed."""
    subject.save()
    records = Record.objects.filter(subjects=subject)
    _touch(records)
    _reindex_after_commit(records)
    return subject


def _touch(records) -> None:
    # The records' descriptions changed with the name: harvesters (OAI-PMH) fetch them anew.
    Record.objects.filter(pk__in=records.values("pk")).update(updated_at=timezone.now())


def _reindex_after_commit(records) -> None:
    # After commit: the documents are rebuilt from what other transactions can read, and a
    # rolled-back rename leaves the index alone.
    ids = records.values_list("pk", flat=True).distinct()
    transaction.on_commit(lambda: records_reindex(list(ids)))
