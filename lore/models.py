"""The local-lore index (краєзнавчий покажчик): people and places of Lutsk and Volyn with the
catalogue's works by them and about them.

A person is linked to the catalogue through the names under which their works are catalogued
(catalog.Person, matched by name when the person is saved or picked by hand), works picked
one by one, and subject headings (catalog.Subject) and records about them. A place has the
same «about» links. People and places are not readers' personal data: the index is kept by
the whole network.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from catalog.models import Contribution, Record, Subject
from catalog.models import Person as CatalogueName
from core.db import UK_COLLATION, words_match


class FigureQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def matching(self, query):
        """People whose name (Ukrainian or English) or biography holds every word typed."""
        return self.filter(words_match(query, "name", "name_en", "bio"))

    def local_writers(self):
        return self.filter(is_local_writer=True)


class Figure(models.Model):
    """A person of the local-lore index (персоналія)."""

    count_forms_uk = ("персоналія", "персоналії", "персоналій")

    name = models.CharField(
        _("імʼя"),
        max_length=250,
        db_collation=UK_COLLATION,
        help_text=_("У формі каталогу: «Українка, Леся» або «Кримський, Агатангел Юхимович»."),
    )
    name_en = models.CharField(_("імʼя англійською"), max_length=250, blank=True)
    slug = models.SlugField(
        _("адреса сторінки"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("Латиницею; якщо залишити порожнім, складеться з назви."),
    )
    dates = models.CharField(_("роки життя"), max_length=40, blank=True)
    dates_en = models.CharField(
        _("роки життя англійською"),
        max_length=40,
        blank=True,
        help_text=_(
            "Заповніть, якщо в роках є слова («бл.», «нар.», «ст.»): ті самі роки англійською."
        ),
    )
    bio = models.TextField(_("коротка довідка"), blank=True, max_length=4000)
    bio_en = models.TextField(_("коротка довідка англійською"), blank=True, max_length=4000)
    photo = models.ImageField(_("портрет"), upload_to="lore/people/", blank=True)
    photo_alt = models.CharField(
        _("опис портрета"),
        max_length=250,
        blank=True,
        help_text=_("Для тих, хто не бачить зображення: хто і де на портреті."),
    )
    is_local_writer = models.BooleanField(
        _("місцевий письменник"),
        default=False,
        help_text=_("Твори зараховуються до показника «Твори письменників-земляків у фонді»."),
    )
    names = models.ManyToManyField(
        CatalogueName,
        blank=True,
        related_name="lore_figures",
        verbose_name=_("імена в каталозі"),
        help_text=_(
            "Під якими іменами записано твори особи (справжнє імʼя, псевдонім). Імʼя, що "
            "збігається з іменем у каталозі, додається саме під час збереження."
        ),
    )
    works = models.ManyToManyField(
        Record,
        blank=True,
        related_name="lore_figures_by",
        verbose_name=_("інші твори особи"),
        help_text=_("Записи, де особу не названо автором у каталозі, але це її твори."),
    )
    subjects = models.ManyToManyField(
        Subject,
        blank=True,
        related_name="lore_figures",
        verbose_name=_("рубрики про особу"),
        help_text=_("Записи з цими рубриками показано як літературу про особу."),
    )
    records_about = models.ManyToManyField(
        Record,
        blank=True,
        related_name="lore_figures_about",
        verbose_name=_("література про особу"),
    )
    is_published = models.BooleanField(_("показувати на сайті"), default=True)
    is_demo = models.BooleanField(_("демонстраційний запис"), default=False, editable=False)
    created_at = models.DateTimeField(_("додано"), auto_now_add=True)
    updated_at = models.DateTimeField(_("змінено"), auto_now=True)

    objects = FigureQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("персоналія")
        verbose_name_plural = _("персоналії")

    def __str__(self):
        return f"{self.name} ({self.dates})" if self.dates else self.name

    def get_absolute_url(self):
        return reverse("lore:person", kwargs={"slug": self.slug})

    def works_by(self):
        """Records this person wrote: under one of their catalogue names as author, or
        picked by hand."""
        authored = Contribution.objects.filter(
            person__lore_figures=self, role=Contribution.Role.AUTHOR
        ).values("record_id")
        picked = Figure.works.through.objects.filter(figure=self).values("record_id")
        return Record.objects.filter(Q(pk__in=authored) | Q(pk__in=picked))

    def works_about(self):
        """Records about this person: with one of their subject headings, or picked."""
        headed = Record.subjects.through.objects.filter(subject__lore_figures=self).values(
            "record_id"
        )
        picked = Figure.records_about.through.objects.filter(figure=self).values("record_id")
        return Record.objects.filter(Q(pk__in=headed) | Q(pk__in=picked))


class PlaceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def matching(self, query):
        return self.filter(words_match(query, "name", "name_en", "description"))


class Place(models.Model):
    """A place of the local-lore index: a village, a street, a river, a building…"""

    count_forms_uk = ("місце краю", "місця краю", "місць краю")

    class Kind(models.TextChoices):
        CITY = "city", _("Місто")
        VILLAGE = "village", _("Село, селище")
        DISTRICT = "district", _("Район, місцевість")
        STREET = "street", _("Вулиця, площа")
        BUILDING = "building", _("Будівля, памʼятка")
        CHURCH = "church", _("Храм, монастир")
        RIVER = "river", _("Річка, озеро")
        PARK = "park", _("Парк, урочище")
        OTHER = "other", _("Інше")

    name = models.CharField(_("назва"), max_length=250, db_collation=UK_COLLATION)
    name_en = models.CharField(_("назва англійською"), max_length=250, blank=True)
    slug = models.SlugField(
        _("адреса сторінки"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("Латиницею; якщо залишити порожнім, складеться з назви."),
    )
    kind = models.CharField(_("вид"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("опис"), blank=True, max_length=4000)
    description_en = models.TextField(_("опис англійською"), blank=True, max_length=4000)
    subjects = models.ManyToManyField(
        Subject,
        blank=True,
        related_name="lore_places",
        verbose_name=_("рубрики про місце"),
        help_text=_("Записи з цими рубриками показано як літературу про місце."),
    )
    records_about = models.ManyToManyField(
        Record, blank=True, related_name="lore_places", verbose_name=_("література про місце")
    )
    is_published = models.BooleanField(_("показувати на сайті"), default=True)
    is_demo = models.BooleanField(_("демонстраційний запис"), default=False, editable=False)
    created_at = models.DateTimeField(_("додано"), auto_now_add=True)
    updated_at = models.DateTimeField(_("змінено"), auto_now=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("місце краю")
        verbose_name_plural = _("місця краю")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("lore:place", kwargs={"slug": self.slug})

    def works_about(self):
        headed = Record.subjects.through.objects.filter(subject__lore_places=self).values(
            "record_id"
        )
        picked = Place.records_about.through.objects.filter(place=self).values("record_id")
        return Record.objects.filter(Q(pk__in=headed) | Q(pk__in=picked))
