"""OAI-PMH sets of the catalogue: per library (`library:<slug>`, records with a copy held
there), local lore (`lore`) and material type (`type:<code>`). `library` and `type` are the
parents of their hierarchies, as OAI-PMH's colon-separated setSpecs require."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from branches.models import Branch
from catalog.models import Item, Record

LIBRARY = "library"
LORE = "lore"
TYPE = "type"


@dataclass(frozen=True)
class OaiSet:
    spec: str
    name: str


def all_sets() -> list[OaiSet]:
    """Every set, in a stable order: libraries, local lore, material types."""
    sets = [OaiSet(LIBRARY, _("Фонди бібліотек ЦБС"))]
    for slug, name in Branch.objects.order_by("slug").values_list("slug", "name"):
        sets.append(OaiSet(f"{LIBRARY}:{slug}", name))
    sets.append(OaiSet(LORE, _("Краєзнавство")))
    sets.append(OaiSet(TYPE, _("Види документів")))
    for code, label in Record.MaterialType.choices:
        sets.append(OaiSet(f"{TYPE}:{code}", str(label)))
    return sets


def record_set_specs(record: Record, branch_slugs) -> list[str]:
    """The setSpecs a record belongs to, given the slugs of the libraries holding copies."""
    specs = []
    slugs = sorted(set(branch_slugs))
    if slugs:
        specs.append(LIBRARY)
        specs += [f"{LIBRARY}:{slug}" for slug in slugs]
    if record.is_local_lore:
        specs.append(LORE)
    specs += [TYPE, f"{TYPE}:{record.material_type}"]
    return specs


def set_exists(spec: str) -> bool:
    if spec in (LIBRARY, LORE, TYPE):
        return True
    parent, _colon, child = spec.partition(":")
    if parent == LIBRARY and child:
        return Branch.objects.filter(slug=child).exists()
    if parent == TYPE and child:
        return child in Record.MaterialType.values
    return False


def record_set_filter(spec: str) -> Q:
    """Live records in the set `spec` (which exists)."""
    held = Item.objects.filter(record=OuterRef("pk")).exclude(status=Item.Status.WITHDRAWN)
    if spec == LIBRARY:
        return Q(Exists(held))
    if spec == LORE:
        return Q(is_local_lore=True)
    if spec == TYPE:
        return Q()
    parent, _colon, child = spec.partition(":")
    if parent == LIBRARY:
        return Q(Exists(held.filter(branch__slug=child)))
    return Q(material_type=child)
