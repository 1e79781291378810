from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingMailQuerySet(models.QuerySet):
    def due(self, *, before):
        """Waiting messages whose next try was due before `before`."""
        return self.filter(status=OutgoingMail.Status.QUEUED, next_attempt_at__lte=before)


class OutgoingMail(models.Model):
    """One message to one person: the outbox row written in the transaction that caused it.

    It holds only the recipient, the language, the template and ids/strings for it, so the
    text is rendered when it is sent, in the recipient's language, from the data as it is
    then. `status` is the sent marker that makes a redelivered task send nothing twice.
    """

    # The name after 1, 2 and 5 in Ukrainian (core.counting): pymorphy3 cannot derive it.
    count_forms_uk = ("лист у черзі", "листи в черзі", "листів у черзі")

    class Status(models.TextChoices):
        QUEUED = "queued", _("чекає")
        SENT = "sent", _("надіслано")
        # Every try failed (MAIL_MAX_ATTEMPTS); `last_error` says why.
        FAILED = "failed", _("не вдалося")
        # What the message was about is gone (deleted before it could be sent).
        DROPPED = "dropped", _("не потрібен")

    to = models.EmailField(_("кому"), blank=True)
    language = models.CharField(_("мова"), max_length=8)
    template = models.CharField(_("шаблон"), max_length=200)
    context = models.JSONField(_("дані для шаблону"), default=dict, blank=True)
    status = models.CharField(
        _("стан"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("спроб"), default=0)
    last_error = models.TextField(_("остання помилка"), blank=True)
    created_at = models.DateTimeField(_("створено"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("наступна спроба"), default=timezone.now)
    sent_at = models.DateTimeField(_("надіслано"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("знеособлено"), null=True, blank=True)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        verbose_name = _("лист у черзі")
        verbose_name_plural = _("черга листів")
        ordering = ["-created_at"]
        indexes = [
            # The flush task reads only what still waits.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="queued"),
                name="outgoingmail_queued_due",
            ),
            models.Index(fields=["created_at"], name="outgoingmail_created"),
        ]

    def __str__(self):
        return f"{self.template}: {self.to or '—'} ({self.get_status_display()})"
