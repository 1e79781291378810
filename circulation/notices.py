"""Lending notices: one combined message per reader per day at most, in the reader's language.

What a reader is told (FOLIO's notice policy, Koha's overdue triggers):
- a loan due in 3 days (`DUE_SOON_DAYS`);
- an overdue loan on the 1st, 8th, 15th … day past its due date (every 7 days, for a year);
- a hold put aside for them since the previous daily run (`ready_at` within the last day);
- a ready hold whose last day on the hold shelf is tomorrow.

Set-based for the nightly run over 10⁵ readers: one query for the loans, one for the holds,
one for who was already sent today, whatever the number of readers; then one outbox row per
reader reached by a channel. Channels are pluggable (`notice_channels`): e-mail now, SMS can
be added as another `NoticeChannel`. Readers no channel reaches are listed for the staff of
their home library to phone (`notices_to_call`, the desk's «Кому зателефонувати»).

«At most once a day» is kept by the outbox itself: a run reads the notices already queued
since midnight (Kyiv) and skips those readers, under a PostgreSQL advisory lock held for the
whole run so two runs at once cannot both send.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Protocol

from django.db import connection, transaction
from django.db.models import Q
from django.utils import formats, timezone, translation

from circulation.models import Hold, Loan
from core.mail import MailMessage, mail_queue_many
from core.models import OutgoingMail
from core.tz import KYIV

NOTICE_TEMPLATE = "circulation/email/notice"
DUE_SOON_DAYS = 3
OVERDUE_EVERY_DAYS = 7
OVERDUE_REMINDERS = 53  # a year of weekly reminders; after that the library takes over
# Readers sent per transaction: the outbox rows of a batch commit together.
BATCH = 1000
_LOCK_KEY = 0x4C454E44  # "LEND": one notices run at a time


@dataclass
class Notice:
    """Everything one reader is told today."""

    reader_id: int
    card_number: str
    name: str
    email: str
    phone: str
    language: str
    home_branch_id: int
    due_soon: list[dict] = field(default_factory=list)
    overdue: list[dict] = field(default_factory=list)
    ready: list[dict] = field(default_factory=list)
    expiring: list[dict] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.due_soon or self.overdue or self.ready or self.expiring)


class NoticeChannel(Protocol):
    """A way to reach a reader. `send_many` is called inside the run's transaction with the
    batch's notices this channel reaches."""

    key: str

    def can_reach(self, notice: Notice) -> bool: ...

    def send_many(self, notices: list[Notice], *, today: date) -> None: ...


class EmailChannel:
    key = "email"

    def can_reach(self, notice: Notice) -> bool:
        return bool(notice.email)

    def send_many(self, notices: list[Notice], *, today: date) -> None:
        mail_queue_many(
            MailMessage(
                to=notice.email,
                template=NOTICE_TEMPLATE,
                context=notice_context(notice, today=today),
                language=notice.language,
            )
            for notice in notices
        )


def notice_channels() -> list[NoticeChannel]:
    """The channels tried in order; the first that can reach a reader is used. An SMS
    channel goes here when there is a gateway."""
    return [EmailChannel()]


def _day_start(today: date) -> datetime:
    return datetime.combine(today, time.min, tzinfo=KYIV)


def notices_collect(*, today: date, now: datetime | None = None, home_branch=None) -> list[Notice]:
    """Today's notices, one per reader (two queries), ordered by card number."""
    now = now or timezone.now()
    overdue_dates = [
        today - timedelta(days=1 + OVERDUE_EVERY_DAYS * k) for k in range(OVERDUE_REMINDERS)
    ]
    reader_fields = (
        "reader_id",
        "reader__card_number",
        "reader__user__first_name",
        "reader__user__last_name",
        "reader__user__email",
        "reader__user__phone",
        "reader__user__preferred_language",
        "reader__home_branch_id",
    )
    loans = Loan.objects.open().filter(
        Q(due_on=today + timedelta(days=DUE_SOON_DAYS)) | Q(due_on__in=overdue_dates),
        reader__isnull=False,
    )
    holds = Hold.objects.filter(status=Hold.Status.READY, reader__isnull=False).filter(
        Q(ready_at__gt=now - timedelta(days=1)) | Q(expires_on=today + timedelta(days=1))
    )
    if home_branch is not None:
        loans = loans.filter(reader__home_branch=home_branch)
        holds = holds.filter(reader__home_branch=home_branch)
    notices: dict[int, Notice] = {}

    def notice_for(row):
        found = notices.get(row["reader_id"])
        if found is None:
            found = notices[row["reader_id"]] = Notice(
                reader_id=row["reader_id"],
                card_number=row["reader__card_number"],
                name=" ".join(
                    part
                    for part in (row["reader__user__first_name"], row["reader__user__last_name"])
                    if part
                ),
                email=row["reader__user__email"] or "",
                phone=str(row["reader__user__phone"] or ""),
                language=row["reader__user__preferred_language"] or "uk",
                home_branch_id=row["reader__home_branch_id"],
            )
        return found

    for row in loans.values(*reader_fields, "pk", "due_on", "item__record__title").order_by(
        "due_on", "pk"
    ):
        line = {"loan": row["pk"], "title": row["item__record__title"], "due_on": row["due_on"]}
        target = notice_for(row)
        (target.overdue if row["due_on"] < today else target.due_soon).append(line)
    for row in holds.values(
        *reader_fields,
        "pk",
        "ready_at",
        "expires_on",
        "record__title",
        "pickup_branch__name",
    ).order_by("expires_on", "pk"):
        line = {
            "hold": row["pk"],
            "title": row["record__title"],
            "branch": row["pickup_branch__name"],
            "expires_on": row["expires_on"],
        }
        target = notice_for(row)
        (target.ready if row["ready_at"] > now - timedelta(days=1) else target.expiring).append(
            line
        )
    return sorted(notices.values(), key=lambda notice: notice.card_number)


def notice_context(notice: Notice, *, today: date) -> dict:
    """Strings and ids only (the outbox stores JSON); dates written in the reader's language."""
    with translation.override(notice.language):

        def day(value):
            return formats.date_format(value, "SHORT_DATE_FORMAT")

        return {
            "reader_id": notice.reader_id,
            "day": today.isoformat(),
            "name": notice.name,
            "card_number": notice.card_number,
            "due_soon": [
                {"title": x["title"], "due_on": day(x["due_on"])} for x in notice.due_soon
            ],
            "overdue": [
                {
                    "title": x["title"],
                    "due_on": day(x["due_on"]),
                    "days": (today - x["due_on"]).days,
                }
                for x in notice.overdue
            ],
            "ready": [
                {"title": x["title"], "branch": x["branch"], "expires_on": day(x["expires_on"])}
                for x in notice.ready
            ],
            "expiring": [
                {"title": x["title"], "branch": x["branch"], "expires_on": day(x["expires_on"])}
                for x in notice.expiring
            ],
        }


def _already_sent(*, today: date) -> set[int]:
    """Readers sent a notice today: one read of today's notice rows, however many there are."""
    rows = OutgoingMail.objects.filter(
        template=NOTICE_TEMPLATE, created_at__gte=_day_start(today)
    ).values_list("context__reader_id", flat=True)
    return {int(value) for value in rows if value is not None}


@contextmanager
def _one_run_at_a_time():
    """A session-level advisory lock for the whole run: a second run waits for the first to
    finish, then finds everything it sent. (Per-batch locks would make every batch re-read
    all of today's rows: 50 reads of up to 50,000 rows for 10⁵ readers.)"""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [_LOCK_KEY])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_LOCK_KEY])


@dataclass
class NoticeRun:
    sent: int = 0
    already: int = 0
    to_call: int = 0


def notices_send(*, today: date | None = None, now: datetime | None = None) -> NoticeRun:
    """The daily run: each reader with something to hear gets one combined message through
    the first channel that reaches them, unless they were already sent one today."""
    now = now or timezone.now()
    today = today or timezone.localtime(now, KYIV).date()
    channels = notice_channels()
    run = NoticeRun()
    notices = [notice for notice in notices_collect(today=today, now=now) if not notice.is_empty]
    with _one_run_at_a_time():
        sent_today = _already_sent(today=today)
        for start in range(0, len(notices), BATCH):
            batch = notices[start : start + BATCH]
            by_channel: dict[str, list[Notice]] = {channel.key: [] for channel in channels}
            for notice in batch:
                if notice.reader_id in sent_today:
                    run.already += 1
                    continue
                channel = next((c for c in channels if c.can_reach(notice)), None)
                if channel is None:
                    run.to_call += 1
                    continue
                by_channel[channel.key].append(notice)
                run.sent += 1
            # A batch's outbox rows commit together; its tasks are queued after that commit.
            with transaction.atomic():
                for channel in channels:
                    if by_channel[channel.key]:
                        channel.send_many(by_channel[channel.key], today=today)
    return run


def notices_to_call(*, today: date, branch) -> list[Notice]:
    """Readers of `branch` (their home library) with a notice today whom no channel reaches."""
    channels = notice_channels()
    return [
        notice
        for notice in notices_collect(today=today, home_branch=branch)
        if not notice.is_empty and not any(channel.can_reach(notice) for channel in channels)
    ]
