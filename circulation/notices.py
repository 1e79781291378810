"""Lending notices: one combined message per reader per day at most, in the reader's language.

What a reader is told (FOLIO's notice policy, Koha's overdue triggers):
- a loan due in 3 days (`DUE_SOON_DAYS`);
- an overdue loan on the 1st, 8th, 15th … day past its due date (every 7 days, for a year);
- a hold put aside for them: at once, right after the check-in that captured the copy
  (`hold_ready_notice`), or else in the next daily run (`ready_at` within the last day and
  not yet told: `Hold.ready_noticed_at`);
- a ready hold whose last day on the hold shelf is tomorrow.

Set-based for the nightly run over 10⁵ readers: one query for the loans, one for the holds,
one for who was already sent today, whatever the number of readers; then one outbox row per
reader reached by a channel. Channels are pluggable (`notice_channels`): e-mail now, SMS can
be added as another `NoticeChannel`. Readers no channel reaches are listed for the staff of
their home library to phone (`notices_to_call`, the desk's «Кому зателефонувати»).

«At most once a day» is kept by the outbox itself: a run reads the notices already queued
since midnight (Kyiv) and skips those readers, under a PostgreSQL advisory lock held for the
whole run so two runs at once cannot both send. The at-once ready notice is that reader's
message of the day (it carries whatever else is due today), under the same lock: a reader
already written to today hears of the hold in the next morning's run instead, and the daily run
skips a reader told at once earlier that day. Never twice: a hold told about is marked
(`ready_noticed_at`).
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


def notices_collect(
    *, today: date, now: datetime | None = None, home_branch=None, reader_id=None
) -> list[Notice]:
    """Today's notices, one per reader (two queries), ordered by card number; only
    `home_branch`'s readers or one reader when given."""
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
        _newly_ready(now) | Q(expires_on=today + timedelta(days=1))
    )
    if home_branch is not None:
        loans = loans.filter(reader__home_branch=home_branch)
        holds = holds.filter(reader__home_branch=home_branch)
    if reader_id is not None:
        loans = loans.filter(reader_id=reader_id)
        holds = holds.filter(reader_id=reader_id)
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
        "ready_noticed_at",
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
        newly_ready = row["ready_noticed_at"] is None and row["ready_at"] > now - timedelta(days=1)
        (target.ready if newly_ready else target.expiring).append(line)
    return sorted(notices.values(), key=lambda notice: notice.card_number)


def _newly_ready(now: datetime) -> Q:
    """Put aside within the last day and not yet told."""
    return Q(ready_at__gt=now - timedelta(days=1), ready_noticed_at__isnull=True)


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


def _already_sent(*, today: date, reader_ids=None) -> set[int]:
    """Readers sent a notice today: one read of today's notice rows (of `reader_ids` only, if
    given), however many there are."""
    rows = OutgoingMail.objects.filter(template=NOTICE_TEMPLATE, created_at__gte=_day_start(today))
    if reader_ids is not None:
        rows = rows.filter(context__reader_id__in=list(reader_ids))
    return {int(value) for value in rows.values_list("context__reader_id", flat=True) if value}


@contextmanager
def _one_run_at_a_time():
    """A session-level advisory lock for the whole run: a second run waits for the first to
    finish, then finds everything it sent. (Per-batch locks would make every batch re-read
    all of today's rows: 50 reads of up to 50,000 rows for 10⁵ readers.) The at-once ready
    notice tries the same key and gives way while a run holds it."""
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
            # A batch's outbox rows commit together; its tasks are queued after that commit.
            with transaction.atomic():
                _deliver(
                    notices[start : start + BATCH],
                    channels=channels,
                    today=today,
                    now=now,
                    run=run,
                    sent_today=sent_today,
                )
    return run


def _deliver(notices, *, channels, today: date, now: datetime, run: NoticeRun, sent_today):
    """Send each notice through the first channel that reaches its reader, unless the reader
    was sent one today; mark the ready holds told. Inside the caller's transaction."""
    by_channel: dict[str, list[Notice]] = {channel.key: [] for channel in channels}
    told = []
    for notice in notices:
        if notice.reader_id in sent_today:
            run.already += 1
            continue
        channel = next((c for c in channels if c.can_reach(notice)), None)
        if channel is None:
            run.to_call += 1
            continue
        by_channel[channel.key].append(notice)
        run.sent += 1
        told += [line["hold"] for line in notice.ready]
    for channel in channels:
        if by_channel[channel.key]:
            channel.send_many(by_channel[channel.key], today=today)
    if told:
        Hold.objects.filter(pk__in=told).update(ready_noticed_at=now)


def hold_ready_notice(*, hold_id: int, now: datetime | None = None) -> bool:
    """Tell the reader at once that a copy waits for them (called after the check-in that
    captured it commits). The message is the reader's one of the day: it carries whatever else
    is due today. Not sent when the reader already had today's message (the next daily run
    tells them), nor while the daily run is sending (it, or the next one, does). Returns
    whether a message went out."""
    now = now or timezone.now()
    today = timezone.localtime(now, KYIV).date()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_LOCK_KEY])
            if not cursor.fetchone()[0]:
                return False
        reader_id = (
            Hold.objects.filter(pk=hold_id, status=Hold.Status.READY, reader__isnull=False)
            .filter(_newly_ready(now))
            .values_list("reader_id", flat=True)
            .first()
        )
        if reader_id is None:
            return False
        notices = notices_collect(today=today, now=now, reader_id=reader_id)
        run = NoticeRun()
        _deliver(
            notices,
            channels=notice_channels(),
            today=today,
            now=now,
            run=run,
            sent_today=_already_sent(today=today, reader_ids=[reader_id]),
        )
        return run.sent == 1


def notices_to_call(*, today: date, branch) -> list[Notice]:
    """Readers of `branch` (their home library) with a notice today whom no channel reaches."""
    channels = notice_channels()
    return [
        notice
        for notice in notices_collect(today=today, home_branch=branch)
        if not notice.is_empty and not any(channel.can_reach(notice) for channel in channels)
    ]
