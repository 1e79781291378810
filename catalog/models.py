"""The electronic catalogue: bibliographic records, their copies in branches, intake and
withdrawal acts, online resources, purchase suggestions and the search log.

Availability per branch is always derived from items; nobody types it in.
"""

from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from stdnum import isbn as stdnum_isbn

from branches.models import Branch
from core.db import UK_COLLATION
from core.workflow import Workflow


def normalize_isbn(value: str) -> str:
    """ISBN-10 or ISBN-13 as entered → the compact form, ISBN-13 when convertible."""
    compact = stdnum_isbn.compact(value)
    if not compact:
        return ""
    try:
        stdnum_isbn.validate(compact)
    except Exception as exc:
        raise ValidationError(
            _("«%(value)s» — не дійсний ISBN: перевірте цифри."),
            code="invalid_isbn",
            params={"value": value},
        ) from exc
    return stdnum_isbn.to_isbn13(compact)


def validate_isbn(value):
    if value:
        normalize_isbn(value)


class TitlesVector(models.Func):
    """The part of a search document that comes from titles and names (weights A and D)."""

    function = "ts_filter"
    template = "%(function)s(%(expressions)s, '{a,d}'::\"char\"[])"
    output_field = SearchVectorField()


class Person(models.Model):
    """An author or other contributor, in the catalogue's form «Прізвище, Ім'я По батькові»."""

    name = models.CharField(
        _("імʼя в каталозі"), max_length=250, unique=True, db_collation=UK_COLLATION
    )
    dates = models.CharField(_("роки життя"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("особа")
        verbose_name_plural = _("особи")

    def __str__(self):
        return self.name


class Subject(models.Model):
    name = models.CharField(_("назва"), max_length=250, unique=True, db_collation=UK_COLLATION)

    class Meta:
        ordering = ["name"]
        verbose_name = _("рубрика")
        verbose_name_plural = _("рубрики")

    def __str__(self):
        return self.name


class RecordQuerySet(models.QuerySet):
    def with_availability(self):
        on_shelf = Q(items__status=Item.Status.ON_SHELF)
        return self.annotate(
            copies=Count("items", filter=~Q(items__status=Item.Status.WITHDRAWN), distinct=True),
            copies_on_shelf=Count("items", filter=on_shelf, distinct=True),
        )

    def available_at(self, branch):
        return self.filter(items__branch=branch, items__status=Item.Status.ON_SHELF).distinct()

    def analytics(self):
        """Component parts (articles in a periodical issue or a collection)."""
        return self.filter(host__isnull=False)

    def new_arrivals(self, *, days=90):
        since = timezone.now() - timedelta(days=days)
        return self.filter(created_at__gte=since).order_by("-created_at")


@lru_cache(maxsize=32)
def _choice_labels(choices: type[models.TextChoices], language: str | None) -> dict[str, str]:
    """value → label of `choices` in `language`, for get_FOO_display() in loops: Django's
    rebuilds and hashes every lazy label on each call. Catalogues are compiled once per
    process, so the labels of a language never change."""
    return {value: str(label) for value, label in choices.choices}


class Record(models.Model):
    """A bibliographic description (one edition); its copies are Items."""

    class MaterialType(models.TextChoices):
        BOOK = "book", _("Книга")
        PERIODICAL = "periodical", _("Періодичне видання")
        AUDIO = "audio", _("Аудіо")
        VIDEO = "video", _("Відео")
        E_RESOURCE = "e_resource", _("Електронний ресурс")
        LOCAL_LORE = "local_lore", _("Краєзнавчий документ")
        MAP = "map", _("Карта")
        SCORE = "score", _("Ноти")

    class AgeRating(models.TextChoices):
        ZERO = "0+", "0+"
        SIX = "6+", "6+"
        TWELVE = "12+", "12+"
        SIXTEEN = "16+", "16+"
        EIGHTEEN = "18+", "18+"

    title = models.CharField(_("назва"), max_length=500, db_collation=UK_COLLATION)
    subtitle = models.CharField(_("підзаголовок"), max_length=500, blank=True)
    responsibility = models.CharField(
        _("відомості про відповідальність"), max_length=500, blank=True
    )
    contributors = models.ManyToManyField(
        Person, through="Contribution", related_name="records", verbose_name=_("автори")
    )
    publisher = models.CharField(_("видавництво"), max_length=250, blank=True)
    place = models.CharField(_("місце видання"), max_length=120, blank=True)
    year = models.PositiveSmallIntegerField(_("рік видання"), null=True, blank=True)
    edition = models.CharField(_("видання"), max_length=120, blank=True)
    isbn = models.CharField(
        _("ISBN"),
        max_length=13,
        blank=True,
        db_index=True,
        validators=[validate_isbn],
        help_text=_("Можна з дефісами; зберігається як ISBN-13 без дефісів."),
    )
    language = models.CharField(
        _("мова"), max_length=3, default="ukr", help_text=_("Код ISO 639-2: ukr, eng, rus…")
    )
    material_type = models.CharField(
        _("вид документа"), max_length=16, choices=MaterialType.choices, default=MaterialType.BOOK
    )
    udc = models.CharField(_("УДК"), max_length=120, blank=True)
    bbk = models.CharField(_("ББК"), max_length=120, blank=True)
    subjects = models.ManyToManyField(
        Subject, blank=True, related_name="records", verbose_name=_("рубрики")
    )
    series = models.CharField(_("серія"), max_length=250, blank=True)
    age_rating = models.CharField(
        _("вікове обмеження"), max_length=3, choices=AgeRating.choices, blank=True
    )
    annotation = models.TextField(_("анотація"), blank=True)
    cover = models.ImageField(_("обкладинка"), upload_to="covers/", blank=True)
    is_local_lore = models.BooleanField(_("краєзнавство"), default=False)
    # An analytical record (аналітичний опис): an article described inside its host — an issue
    # of a periodical or a collection — with where in the host it is (UNIMARC 463, MARC21 773).
    host = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="components",
        verbose_name=_("джерело (видання, де вміщено статтю)"),
        help_text=_("Для статті з газети, журналу чи збірника: запис номера або збірника."),
    )
    host_part = models.CharField(
        _("том, номер у джерелі"),
        max_length=120,
        blank=True,
        help_text=_("Наприклад: «2021, № 14 (5 квіт.)» або «Т. 2»."),
    )
    host_pages = models.CharField(
        _("сторінки в джерелі"),
        max_length=40,
        blank=True,
        help_text=_("Лише числа: «12–15» або «3»; «с.» допишеться саме."),
    )
    source_id = models.CharField(
        _("контрольний номер джерела"),
        max_length=120,
        blank=True,
        help_text=_("Поле 001 імпортованого запису; за ним повторний імпорт оновлює запис."),
    )
    created_at = models.DateTimeField(_("додано"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("змінено"), auto_now=True)

    # Filled by catalog.indexing: lemmas of the title and authors (A), series and subjects
    # (B), annotation (C) and Latin transliterations (D), config 'simple'.
    search_document = SearchVectorField(null=True, editable=False)
    # Lower-cased title and author names; their words make the typo vocabulary (SearchWord).
    search_names = models.TextField(blank=True, editable=False)

    objects = RecordQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("бібліографічний запис")
        verbose_name_plural = _("бібліографічні записи")
        indexes = [
            GinIndex(fields=["search_document"], name="record_search_gin"),
            # The strongest matches (title, names) have posting lists of their own: a common
            # word such as «україна» is in the subjects of half the catalogue, and looking it
            # up in titles through the whole document's index read all of those first.
            GinIndex(TitlesVector("search_document"), name="record_titles_gin"),
            models.Index(fields=["year"], name="record_year_idx"),
            models.Index(fields=["language", "material_type"], name="record_lang_type_idx"),
            # OAI-PMH harvests walk records in (datestamp, id) order (catalog.protocols.oai).
            models.Index(fields=["updated_at", "id"], name="record_updated_id_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_id"],
                condition=~Q(source_id=""),
                name="record_unique_source_id",
            ),
            models.CheckConstraint(condition=~Q(host=models.F("pk")), name="record_not_own_host"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("catalog:record", kwargs={"pk": self.pk})

    @property
    def host_location(self) -> str:
        """«2021, № 14, с. 12–15»: where in its host an analytical record is."""
        parts = [self.host_part]
        if self.host_pages:
            parts.append(_("с. %(pages)s") % {"pages": self.host_pages})
        return ", ".join(part for part in parts if part)

    @property
    def material_type_label(self) -> str:
        """get_material_type_display(), for the 20 cards of a page (see _choice_labels)."""
        labels = _choice_labels(Record.MaterialType, get_language())
        return labels.get(self.material_type, self.material_type)

    def clean(self):
        if self.isbn:
            self.isbn = normalize_isbn(self.isbn)
        if self.host_id is not None:
            if self.pk is not None and self.host_id == self.pk:
                raise ValidationError(
                    {"host": _("Запис не може бути джерелом самого себе.")}, code="own_host"
                )
            if (
                self.pk is not None
                and Record.objects.filter(pk=self.host_id, host_id=self.pk).exists()
            ):
                raise ValidationError(
                    {"host": _("Це видання саме вміщене в цьому записі: оберіть інше джерело.")},
                    code="host_cycle",
                )
        elif self.host_part or self.host_pages:
            raise ValidationError(
                {"host": _("Вкажіть джерело, до якого належать номер і сторінки.")},
                code="location_without_host",
            )

    @property
    def isbn_display(self):
        return stdnum_isbn.format(self.isbn) if self.isbn else ""

    def authors(self):
        return [c.person for c in self.contributions.all() if c.role == Contribution.Role.AUTHOR]


class Contribution(models.Model):
    class Role(models.TextChoices):
        AUTHOR = "author", _("автор")
        EDITOR = "editor", _("редактор")
        TRANSLATOR = "translator", _("перекладач")
        ILLUSTRATOR = "illustrator", _("ілюстратор")
        COMPILER = "compiler", _("упорядник")
        OTHER = "other", _("інша роль")

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="contributions")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("особа")
    )
    role = models.CharField(_("роль"), max_length=16, choices=Role.choices, default=Role.AUTHOR)
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        ordering = ["record", "position"]
        verbose_name = _("участь у створенні")
        verbose_name_plural = _("автори та інші учасники")
        constraints = [
            models.UniqueConstraint(
                fields=["record", "person", "role"], name="contribution_once_per_role"
            )
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"


class IntakeBatch(models.Model):
    """An intake act (комплектування): where a batch of new copies came from."""

    class Source(models.TextChoices):
        BUDGET = "budget", _("Бюджетна закупівля")
        DONATION = "donation", _("Акція дарування")
        AUTHOR_GIFT = "author_gift", _("Дарунок автора")
        GRANT = "grant", _("Грант")
        SPONSOR = "sponsor", _("Спонсор")
        EXCHANGE = "exchange", _("Обмін")

    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="intake_batches",
        verbose_name=_("бібліотека"),
    )
    date = models.DateField(_("дата"), default=timezone.localdate)
    source = models.CharField(_("джерело"), max_length=16, choices=Source.choices)
    act_number = models.CharField(_("номер акта"), max_length=40)
    supplier = models.CharField(_("постачальник або дарувальник"), max_length=250, blank=True)
    cost = models.DecimalField(_("вартість, грн"), max_digits=12, decimal_places=2, default=0)
    note = models.TextField(_("примітка"), blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("надходження (акт)")
        verbose_name_plural = _("надходження")
        constraints = [
            models.UniqueConstraint(fields=["branch", "act_number"], name="intake_act_unique"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="intake_cost_not_negative"),
        ]

    def __str__(self):
        return _("Акт № %(number)s від %(date)s") % {
            "number": self.act_number,
            "date": f"{self.date:%d.%m.%Y}",
        }


class InventoryCounter(models.Model):
    """The last inventory number a library has given; locked while numbers are handed out."""

    branch = models.OneToOneField(
        Branch, on_delete=models.CASCADE, related_name="+", verbose_name=_("бібліотека")
    )
    last_number = models.PositiveBigIntegerField(_("останній номер"), default=0)

    class Meta:
        verbose_name = _("лічильник інвентарних номерів")
        verbose_name_plural = _("лічильники інвентарних номерів")

    def __str__(self):
        return f"{self.branch}: {self.last_number}"


class Withdrawal(models.Model):
    """A withdrawal act (списання) with its reason; the copies point at it."""

    class Reason(models.TextChoices):
        WORN_OUT = "worn_out", _("Зношеність")
        OUTDATED = "outdated", _("Застарілість змісту")
        LOST_BY_READER = "lost_by_reader", _("Втрачено читачем")
        SURPLUS = "surplus", _("Непрофільність, дублетність")
        DAMAGED = "damaged", _("Пошкодження")

    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="withdrawals", verbose_name=_("бібліотека")
    )
    date = models.DateField(_("дата"), default=timezone.localdate)
    act_number = models.CharField(_("номер акта"), max_length=40)
    reason = models.CharField(_("причина"), max_length=16, choices=Reason.choices)
    note = models.TextField(_("примітка"), blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("акт списання")
        verbose_name_plural = _("акти списання")
        constraints = [
            models.UniqueConstraint(fields=["branch", "act_number"], name="withdrawal_act_unique")
        ]

    def __str__(self):
        return _("Акт списання № %(number)s від %(date)s") % {
            "number": self.act_number,
            "date": f"{self.date:%d.%m.%Y}",
        }


class ItemQuerySet(models.QuerySet):
    def on_shelf(self):
        return self.filter(status=Item.Status.ON_SHELF)

    def at(self, branch):
        return self.filter(branch=branch)


class Item(Workflow, models.Model):
    """A copy of a record held by one branch."""

    class Status(models.TextChoices):
        ON_SHELF = "on_shelf", _("На полиці")
        ON_LOAN = "on_loan", _("Видано")
        IN_PROCESSING = "processing", _("В обробці")
        REFERENCE = "reference", _("Лише в читальній залі")
        LOST = "lost", _("Втрачено")
        WITHDRAWN = "withdrawn", _("Списано")
        # Set only by circulation's services: a copy travelling between libraries, and a copy
        # put aside on the hold shelf for the reader who reserved it.
        IN_TRANSIT = "in_transit", _("У дорозі між бібліотеками")
        ON_HOLD_SHELF = "on_hold_shelf", _("Відкладено для читача")

    # Moves staff make one copy at a time (catalog.services.item_change_status). A copy is
    # written off only under a withdrawal act (withdrawal_create), never by a status change,
    # and nothing brings a written-off copy back.
    TRANSITIONS = {
        Status.IN_PROCESSING: {Status.ON_SHELF, Status.REFERENCE},
        Status.ON_SHELF: {Status.REFERENCE, Status.IN_PROCESSING, Status.LOST},
        Status.REFERENCE: {Status.ON_SHELF, Status.IN_PROCESSING, Status.LOST},
        # A copy on loan comes back through check-in at the desk (circulation), which closes
        # the loan; staff may only record it lost.
        Status.ON_LOAN: {Status.LOST},
        Status.LOST: {Status.ON_SHELF},
        Status.WITHDRAWN: set(),
        # Only the lending services move a copy out of these (check-in, transit, holds).
        Status.IN_TRANSIT: set(),
        Status.ON_HOLD_SHELF: set(),
    }
    TRANSITION_REFUSAL = _("Примірник у стані «%(old)s» не можна перевести в стан «%(new)s».")

    record = models.ForeignKey(
        Record, on_delete=models.CASCADE, related_name="items", verbose_name=_("запис")
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="items", verbose_name=_("бібліотека")
    )
    inventory_number = models.CharField(_("інвентарний номер"), max_length=40, unique=True)
    barcode = models.CharField(_("штрихкод"), max_length=40, unique=True, null=True, blank=True)
    shelf_mark = models.CharField(_("шифр зберігання"), max_length=80, blank=True)
    status = models.CharField(
        _("стан"), max_length=16, choices=Status.choices, default=Status.IN_PROCESSING
    )
    price = models.DecimalField(_("ціна, грн"), max_digits=10, decimal_places=2, default=0)
    intake = models.ForeignKey(
        IntakeBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("надходження"),
    )
    withdrawal = models.ForeignKey(
        Withdrawal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("акт списання"),
    )
    added_at = models.DateTimeField(_("додано"), default=timezone.now)
    # Also set by a database trigger on every UPDATE, which then moves the record's own
    # updated_at too (migration 0015): circulation saves only `status`, withdrawals and
    # imports write copies with bulk statements, and a harvester must still see the change.
    updated_at = models.DateTimeField(_("змінено"), auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["branch", "inventory_number"]
        verbose_name = _("примірник")
        verbose_name_plural = _("примірники")
        indexes = [
            models.Index(fields=["record", "branch", "status"], name="item_availability"),
            # «Нові надходження» and their feeds read the newest copies, network-wide or per
            # library.
            models.Index(fields=["added_at"], name="item_added_at"),
            models.Index(fields=["branch", "added_at"], name="item_branch_added_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="withdrawn", withdrawal__isnull=False)
                | (~Q(status="withdrawn") & Q(withdrawal__isnull=True)),
                name="item_withdrawn_iff_act",
            ),
        ]

    def __str__(self):
        return f"{self.inventory_number} — {self.record}"

    @property
    def status_label(self) -> str:
        """get_status_display(), for the copies table of a record page (see _choice_labels)."""
        return _choice_labels(Item.Status, get_language()).get(self.status, self.status)

    @property
    def is_on_shelf(self):
        return self.status == self.Status.ON_SHELF


class DeletedRecord(models.Model):
    """A tombstone of a deleted record, so that OAI-PMH harvesters learn of the deletion
    (deletedRecord=persistent). Written when a record is deleted (catalog.signals); the
    public catalogue and admin never read it."""

    record_id = models.BigIntegerField(_("номер запису"), unique=True)
    deleted_at = models.DateTimeField(_("вилучено"), default=timezone.now)
    # The OAI setSpecs the record was in when it was deleted (catalog.protocols.sets).
    sets = ArrayField(models.CharField(max_length=80), default=list, blank=True)

    class Meta:
        verbose_name = _("вилучений запис")
        verbose_name_plural = _("вилучені записи")
        indexes = [models.Index(fields=["deleted_at", "record_id"], name="deleted_record_at_idx")]

    def __str__(self):
        return str(self.record_id)


class OnlineResource(models.Model):
    """Plan direction 7: public registers and online libraries, curated by librarians."""

    class Topic(models.TextChoices):
        LIBRARIES = "libraries", _("Онлайн-бібліотеки")
        REGISTERS = "registers", _("Державні реєстри")
        EDUCATION = "education", _("Освіта")
        LAW = "law", _("Право")
        LOCAL_LORE = "local_lore", _("Краєзнавство")
        SCIENCE = "science", _("Наука")
        CHILDREN = "children", _("Для дітей")

    title = models.CharField(_("назва"), max_length=250, db_collation=UK_COLLATION)
    url = models.URLField(_("адреса"), unique=True)
    topic = models.CharField(_("тема"), max_length=16, choices=Topic.choices)
    language = models.CharField(_("мова"), max_length=3, default="ukr")
    description = models.TextField(_("опис"), blank=True)
    is_published = models.BooleanField(_("показувати"), default=True)

    class Meta:
        ordering = ["topic", "title"]
        verbose_name = _("онлайн-ресурс")
        verbose_name_plural = _("онлайн-ресурси")

    def __str__(self):
        return self.title


class PurchaseSuggestion(models.Model):
    """A reader's «Запропонувати придбати». The contact is optional and deleted when answered."""

    class Status(models.TextChoices):
        NEW = "new", _("Нова")
        ORDERED = "ordered", _("Замовлено")
        DECLINED = "declined", _("Відхилено")
        DONE = "done", _("Надійшло")

    title = models.CharField(_("назва"), max_length=300, db_collation=UK_COLLATION)
    author = models.CharField(_("автор"), max_length=200, blank=True)
    note = models.TextField(_("коментар"), blank=True, max_length=2000)
    branch = models.ForeignKey(
        Branch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="purchase_suggestions",
        verbose_name=_("бібліотека"),
    )
    email = models.EmailField(_("е-пошта для відповіді"), blank=True)
    search_query = models.CharField(_("запит, з якого прийшли"), max_length=300, blank=True)
    status = models.CharField(_("стан"), max_length=16, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(_("подано"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("пропозиція придбати")
        verbose_name_plural = _("пропозиції придбати")

    def __str__(self):
        return self.title


class SearchLog(models.Model):
    """One catalogue search, with no personal data: what was asked and how many hits."""

    # The name after 1, 2 and 5 in Ukrainian (core.counting): pymorphy3 cannot derive it.
    count_forms_uk = ("пошуковий запит", "пошукові запити", "пошукових запитів")

    query = models.CharField(_("запит"), max_length=300)
    normalized = models.CharField(_("нормалізований запит"), max_length=300, db_index=True)
    filters = models.JSONField(_("фільтри"), default=dict, blank=True)
    branch = models.ForeignKey(
        Branch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("фільтр бібліотеки"),
    )
    hits = models.PositiveIntegerField(_("знайдено"))
    created_at = models.DateTimeField(_("час"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("пошуковий запит")
        verbose_name_plural = _("журнал пошуку")
        indexes = [
            models.Index(fields=["created_at"], condition=Q(hits=0), name="searchlog_zero_hits")
        ]

    def __str__(self):
        return self.query


class SearchWord(models.Model):
    """A word of the catalogue's titles and names, for «Можливо, ви мали на увазі …».

    Kept by catalog.indexing whenever search documents are written; typo matching compares a
    query's words with these few tens of thousands of words instead of with every record.
    Words are never removed when a record changes: a stale word only costs a suggestion.
    """

    word = models.CharField(_("слово"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("слово каталогу")
        verbose_name_plural = _("словник каталогу")
        indexes = [
            GinIndex(fields=["word"], name="searchword_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self):
        return self.word


class SearchName(models.Model):
    """A surname the catalogue has, as it writes it: the catalogue's own vocabulary of names.

    Kept by catalog.indexing with the search documents. A typed name is resolved against it
    («Шевчєнко» → «Шевченко») and suggestions write the name as here, with its capital.
    """

    word = models.CharField(_("прізвище малими літерами"), max_length=100, unique=True)
    # и/і/ї, е/є, г/ґ made one letter (core.text.fold_name): what misspellings meet on.
    key = models.CharField(_("ключ"), max_length=100, db_index=True)
    display = models.CharField(_("як у каталозі"), max_length=100)

    class Meta:
        verbose_name = _("прізвище каталогу")
        verbose_name_plural = _("прізвища каталогу")
        indexes = [
            GinIndex(fields=["word"], name="searchname_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self):
        return self.display


class MarcImportQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=[MarcImport.Status.PENDING, MarcImport.Status.RUNNING])


class MarcImport(models.Model):
    """A MARC file uploaded in admin; `catalog.tasks.marc_import_task` imports it in the
    background and keeps the counters here current, so the admin page can show progress."""

    # The name after 1, 2 and 5 in Ukrainian (core.counting): pymorphy3 cannot derive it.
    count_forms_uk = ("імпорт MARC", "імпорти MARC", "імпортів MARC")

    class Status(models.TextChoices):
        PENDING = "pending", _("У черзі")
        RUNNING = "running", _("Імпортується")
        DONE = "done", _("Завершено")
        FAILED = "failed", _("Помилка")

    class Format(models.TextChoices):
        AUTO = "auto", _("Визначити за записами")
        UNIMARC = "unimarc", _("UNIMARC / RUSMARC (ІРБІС)")
        MARC21 = "marc21", _("MARC21")

    class Syntax(models.TextChoices):
        AUTO = "auto", _("Визначити за файлом")
        ISO2709 = "iso2709", _("ISO 2709 (.iso, .mrc)")
        MARCXML = "marcxml", _("MARCXML (.xml)")

    class Encoding(models.TextChoices):
        AUTO = "auto", _("Визначити за записами")
        UTF8 = "utf-8", _("UTF-8")
        CP1251 = "cp1251", _("Windows-1251 (типово для ІРБІС)")
        MARC8 = "marc8", _("MARC-8 (MARC21)")

    file = models.FileField(_("файл MARC"), upload_to="marc/imports/%Y/%m/")
    original_name = models.CharField(_("назва файлу"), max_length=255, blank=True)
    format = models.CharField(
        _("формат"), max_length=8, choices=Format.choices, default=Format.AUTO
    )
    syntax = models.CharField(
        _("синтаксис"), max_length=8, choices=Syntax.choices, default=Syntax.AUTO
    )
    encoding = models.CharField(
        _("кодування"), max_length=8, choices=Encoding.choices, default=Encoding.AUTO
    )
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="marc_imports",
        verbose_name=_("бібліотека"),
        help_text=_("Сюди потрапляють примірники з полів 899/910/852/952."),
    )
    status = models.CharField(
        _("стан"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    bytes_total = models.PositiveBigIntegerField(_("розмір, байт"), default=0)
    bytes_done = models.PositiveBigIntegerField(_("прочитано, байт"), default=0)
    records_seen = models.PositiveIntegerField(_("прочитано записів"), default=0)
    loaded = models.PositiveIntegerField(_("нових записів"), default=0)
    updated = models.PositiveIntegerField(_("оновлено записів"), default=0)
    rejected = models.PositiveIntegerField(_("відхилено записів"), default=0)
    warnings = models.PositiveIntegerField(_("попереджень"), default=0)
    items_created = models.PositiveIntegerField(_("нових примірників"), default=0)
    items_updated = models.PositiveIntegerField(_("оновлено примірників"), default=0)
    report = models.FileField(_("звіт (CSV)"), upload_to="marc/reports/%Y/%m/", blank=True)
    summary = models.TextField(_("підсумок"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("завантажив"),
    )
    created_at = models.DateTimeField(_("завантажено"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("почато"), null=True, blank=True)
    finished_at = models.DateTimeField(_("завершено"), null=True, blank=True)
    # Touched every few seconds by the worker running the import: a redelivered task sees
    # that another worker is still at it (see catalog.marc.importer.marc_upload_run).
    heartbeat_at = models.DateTimeField(_("останній знак життя імпорту"), null=True, blank=True)

    objects = MarcImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("імпорт MARC")
        verbose_name_plural = _("імпорт MARC")

    def __str__(self):
        return self.original_name or self.file.name

    @property
    def is_active(self):
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.bytes_total:
            return 0
        return min(99, int(self.bytes_done * 100 / self.bytes_total))
