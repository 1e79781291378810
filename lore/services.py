"""What staff do to the local-lore index: save a person or a place (its page address made
from the name when left empty), link a person to the catalogue names their works are under.
No statuses here: the admin's own history records who added or changed an entry."""

from django.db import transaction
from django.utils.text import slugify

from catalog.models import Person as CatalogueName
from core.text import transliterate
from lore.models import Figure, Place

SLUG_MAX = 120


def _unique_slug(model, obj) -> str:
    base = slugify(transliterate(obj.name))[: SLUG_MAX - 6].strip("-") or model._meta.model_name
    taken = set(
        model.objects.exclude(pk=obj.pk)
        .filter(slug__startswith=base)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def figure_save(*, figure: Figure, acting_user) -> Figure:
    """Save a person of the index (not their links: `figure_names_match` after those)."""
    if not figure.slug:
        figure.slug = _unique_slug(Figure, figure)
    figure.save()
    return figure


@transaction.atomic
def figure_names_match(*, figure: Figure) -> int:
    """Link the catalogue name that is spelt exactly as the person's name, when there is
    one; returns how many names were added. Names picked by hand stay."""
    found = CatalogueName.objects.filter(name=figure.name).exclude(lore_figures=figure)
    names = list(found)
    figure.names.add(*names)
    return len(names)


@transaction.atomic
def place_save(*, place: Place, acting_user) -> Place:
    if not place.slug:
        place.slug = _unique_slug(Place, place)
    place.save()
    return place
