"""Digitised photographs and documents of local lore: collections, documents and their pages.

A document is a photograph, a letter, a newspaper issue… that a library holds and has scanned;
each scanned side is a page with its image (the original, web-size derivatives made on upload by
services.page_image_store) and an optional caption and transcription. Readers see published
documents only; staff of a library describe their own library's documents.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from branches.models import Branch
from core.db import UK_COLLATION, words_match
from digital.images import SIZES, scaled_width

# The earliest year a document may be dated; anything older is a typing mistake here.
YEAR_MIN = 1000
YEAR_MAX = 2100


class Collection(models.Model):
    """A named set of documents (a family archive, a newspaper run, a postcard series)."""

    count_forms_uk = ("колекція", "колекції", "колекцій")

    title = models.CharField(_("назва"), max_length=200, db_collation=UK_COLLATION)
    description = models.TextField(_("опис"), blank=True)
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="digital_collections",
        verbose_name=_("бібліотека"),
        help_text=_("Бібліотека, що зберігає оригінали."),
    )
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["title"]
        verbose_name = _("колекція")
        verbose_name_plural = _("колекції")

    def __str__(self):
        return self.title


class DigitalDocumentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def matching(self, query):
        """Documents whose title, description, place or people hold every word typed, in any
        case form (core.db.words_match)."""
        return self.filter(words_match(query, "title", "description", "place", "people"))

    def of_decade(self, decade: int):
        """Documents dated within the ten years from `decade` (1930 → 1930–1939); a period
        («1930–1950») counts for each decade it touches."""
        return self.filter(year_from__lte=decade + 9).filter(
            Q(year_to__gte=decade) | Q(year_to__isnull=True, year_from__gte=decade)
        )

    def with_cover(self):
        """Each document with its first page's thumbnail and caption and its number of pages,
        in the same statement (subqueries), for lists."""
        first = DigitalPage.objects.filter(document=OuterRef("pk")).order_by("position", "pk")
        pages = (
            DigitalPage.objects.filter(document=OuterRef("pk"))
            .order_by()
            .values("document")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            cover_thumb=Subquery(first.values("thumb")[:1]),
            cover_caption=Subquery(first.values("caption")[:1]),
            page_count=Subquery(pages),
        )


class DigitalDocument(models.Model):
    count_forms_uk = ("оцифрований документ", "оцифровані документи", "оцифрованих документів")

    class Kind(models.TextChoices):
        PHOTOGRAPH = "photograph", _("Фотографія")
        POSTCARD = "postcard", _("Листівка")
        LETTER = "letter", _("Лист")
        DOCUMENT = "document", _("Документ")
        NEWSPAPER = "newspaper", _("Газета")
        MAP = "map", _("Карта, план")
        POSTER = "poster", _("Плакат, афіша")
        BOOK = "book", _("Книга, брошура")

    title = models.CharField(_("назва"), max_length=300, db_collation=UK_COLLATION)
    kind = models.CharField(_("вид"), max_length=20, choices=Kind, default=Kind.PHOTOGRAPH)
    collection = models.ForeignKey(
        Collection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("колекція"),
    )
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="digital_documents",
        verbose_name=_("бібліотека"),
        help_text=_("Бібліотека, що зберігає оригінал і оцифрувала його."),
    )
    date_text = models.CharField(
        _("дата"),
        max_length=100,
        blank=True,
        help_text=_("Як її пишуть читачам: «12 травня 1936», «1930-ті», «близько 1910»."),
    )
    year_from = models.PositiveSmallIntegerField(
        _("рік від"),
        null=True,
        blank=True,
        validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)],
        help_text=_("Для пошуку за десятиліттям: рік або перший рік періоду («1930-ті» — 1930)."),
    )
    year_to = models.PositiveSmallIntegerField(
        _("рік до"),
        null=True,
        blank=True,
        validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)],
        help_text=_("Останній рік періоду («1930-ті» — 1939); порожньо — один рік."),
    )
    place = models.CharField(
        _("місце"), max_length=300, blank=True, help_text=_("Де знято чи написано.")
    )
    people = models.CharField(
        _("особи"), max_length=500, blank=True, help_text=_("Хто на фото або в документі.")
    )
    description = models.TextField(
        _("опис"), blank=True, help_text=_("Абзаци відокремлюйте порожнім рядком.")
    )
    rights = models.CharField(
        _("права і ліцензія"),
        max_length=300,
        default=_("Суспільне надбання"),
        help_text=_("Напр.: «Суспільне надбання», «CC BY 4.0», «З дозволу родини Шульгів»."),
    )
    record = models.ForeignKey(
        "catalog.Record",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="digital_documents",
        verbose_name=_("запис каталогу"),
        help_text=_("Бібліографічний запис оригіналу в електронному каталозі, якщо є."),
    )
    subjects = models.ManyToManyField(
        "catalog.Subject",
        blank=True,
        related_name="digital_documents",
        verbose_name=_("краєзнавчі рубрики"),
    )
    digitised_on = models.DateField(
        _("дата оцифрування"), help_text=_("За нею документ рахують у показниках плану.")
    )
    is_published = models.BooleanField(
        _("опубліковано"), default=False, editable=False, help_text=_("Показано читачам.")
    )
    is_demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(_("створено"), auto_now_add=True)
    updated_at = models.DateTimeField(_("змінено"), auto_now=True)

    objects = DigitalDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("оцифрований документ")
        verbose_name_plural = _("оцифровані документи")
        constraints = [
            models.CheckConstraint(
                condition=Q(year_to__isnull=True)
                | Q(year_from__isnull=False, year_to__gte=F("year_from")),
                name="digital_document_years_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["is_published", "year_from"], name="digital_doc_published_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("digital:detail", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        if self.year_to is not None and (self.year_from is None or self.year_to < self.year_from):
            errors["year_to"] = _("Рік «до» має бути не раніше за рік «від».")
        if self.collection_id and self.branch_id and self.collection.branch_id != self.branch_id:
            errors["collection"] = _("Колекція належить іншій бібліотеці.")
        if errors:
            raise ValidationError(errors)

    @property
    def paragraphs(self):
        return [part.strip() for part in self.description.split("\n\n") if part.strip()]


class DigitalPage(models.Model):
    """One scanned side of a document. `image` is the file shown full size (its GPS position
    removed); `large`, `medium` and `thumb` are made from it on upload."""

    count_forms_uk = ("сторінка", "сторінки", "сторінок")

    document = models.ForeignKey(
        DigitalDocument,
        on_delete=models.CASCADE,
        related_name="pages",
        verbose_name=_("документ"),
    )
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)
    image = models.ImageField(
        _("зображення"),
        upload_to="digital/full/",
        width_field="width",
        height_field="height",
        help_text=_("Скан або фото у форматі JPEG, PNG, TIFF чи WebP."),
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    large = models.ImageField(upload_to="digital/large/", blank=True, editable=False)
    medium = models.ImageField(upload_to="digital/medium/", blank=True, editable=False)
    thumb = models.ImageField(upload_to="digital/thumb/", blank=True, editable=False)
    caption = models.CharField(
        _("підпис"),
        max_length=300,
        blank=True,
        help_text=_("Що на зображенні — його читає екранний диктор незрячим читачам."),
    )
    transcription = models.TextField(
        _("транскрипція"), blank=True, help_text=_("Текст сторінки, якщо його можна прочитати.")
    )

    class Meta:
        ordering = ["document", "position", "pk"]
        verbose_name = _("сторінка")
        verbose_name_plural = _("сторінки")

    def __str__(self):
        return self.caption or f"{self.document} — {self.position}"

    # The web sizes' dimensions, from the full image's, for srcset and width/height (no file
    # is opened to render a page).
    def _scaled(self, key):
        return scaled_width(self.width, self.height, SIZES[key])

    @property
    def thumb_width(self):
        return self._scaled("thumb")

    @property
    def medium_width(self):
        return self._scaled("medium")

    @property
    def large_width(self):
        return self._scaled("large")

    @property
    def large_height(self):
        return scaled_width(self.height, self.width, SIZES["large"])
