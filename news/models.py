"""News, announcements and press releases of one library or of the whole network.

An item is a draft until staff publish it (news_item_transition); only published items with a
publish date in the past are shown to readers. Photos carry a required alt text, as the
libraries' own photos do (branches.BranchPhoto).
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Branch
from core.workflow import Workflow


class NewsItemQuerySet(models.QuerySet):
    def published(self, *, now=None):
        return self.filter(
            status=NewsItem.Status.PUBLISHED,
            published_at__lte=now or timezone.now(),
        )

    def for_branch(self, branch):
        """The library's own items and those of the whole network."""
        return self.filter(Q(branch=branch) | Q(branch__isnull=True))

    def press_releases(self):
        return self.filter(kind=NewsItem.Kind.PRESS_RELEASE)

    def newest_first(self):
        return self.order_by("-published_at", "-pk")


class NewsItem(Workflow, models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", _("Новина")
        ANNOUNCEMENT = "announcement", _("Оголошення")
        PRESS_RELEASE = "press_release", _("Прес-реліз")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Чернетка")
        PUBLISHED = "published", _("Опубліковано")

    # The workflow: from each state, where staff may move it (news_item_transition).
    TRANSITIONS = {
        Status.DRAFT: {Status.PUBLISHED},
        Status.PUBLISHED: {Status.DRAFT},
    }
    TRANSITION_REFUSAL = _("Новину у стані «%(from)s» не можна перевести в стан «%(to)s».")

    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="news_items",
        verbose_name=_("бібліотека"),
        help_text=_("Порожньо — новина всієї мережі."),
    )
    kind = models.CharField(_("вид"), max_length=20, choices=Kind, default=Kind.NEWS)
    title = models.CharField(_("заголовок"), max_length=200)
    lead = models.TextField(
        _("лід"), max_length=500, help_text=_("Одне-два речення: про що новина.")
    )
    body = models.TextField(_("текст"), help_text=_("Абзаци відокремлюйте порожнім рядком."))
    status = models.CharField(
        _("стан"), max_length=20, choices=Status, default=Status.DRAFT, editable=False
    )
    published_at = models.DateTimeField(
        _("дата публікації"),
        null=True,
        blank=True,
        help_text=_("Порожньо — у момент публікації. Дата в майбутньому відкладає показ."),
    )
    is_demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(_("створено"), auto_now_add=True)
    updated_at = models.DateTimeField(_("змінено"), auto_now=True)

    objects = NewsItemQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("новина")
        verbose_name_plural = _("новини")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="news_item_published_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:detail", kwargs={"pk": self.pk})

    @property
    def is_visible(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def paragraphs(self):
        return [part.strip() for part in self.body.split("\n\n") if part.strip()]


class NewsPhoto(models.Model):
    news_item = models.ForeignKey(
        NewsItem, on_delete=models.CASCADE, related_name="photos", verbose_name=_("новина")
    )
    image = models.ImageField(_("фото"), upload_to="news/")
    alt_text = models.CharField(
        _("опис для незрячих"),
        max_length=200,
        help_text=_("Що на фото — для читачів з екранним диктором."),
    )
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        ordering = ["news_item", "position", "pk"]
        verbose_name = _("фото")
        verbose_name_plural = _("фото")

    def __str__(self):
        return self.alt_text
