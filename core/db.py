"""Database chores that every app's bulk loads share."""

from django.db import connection, connections
from django.db.models import Q
from django.utils import timezone


def analyze(*models) -> None:
    """Refresh the planner's statistics of the tables just bulk-loaded.

    Without it PostgreSQL plans the next statements for the row counts it last saw: with
    autovacuum off (or not yet run) a table of thousands of rows still looks empty, and a
    join over it becomes nested loops that run for minutes. ANALYZE inside the loading
    transaction counts that transaction's own new rows.
    """
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def ordered_ids(model, ids) -> dict[int, int]:
    """{id: rank} of these rows in the model's default ordering (one statement, the ids as
    one array parameter)."""
    ids = list(ids)
    if not ids:
        return {}
    queryset = model.objects.filter(pk__in=[]).order_by(*model._meta.ordering)
    order = ", ".join(
        connection.ops.quote_name(model._meta.get_field(name.lstrip("-")).column)
        + (" DESC" if name.startswith("-") else "")
        for name in queryset.query.order_by
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {connection.ops.quote_name(model._meta.db_table)} "
            f"WHERE id = ANY(%s) ORDER BY {order}",
            [ids],
        )
        return {row[0]: rank for rank, row in enumerate(cursor.fetchall())}


def copy_insert(model, rows: list[dict], *, with_pk: bool = False) -> None:
    """COPY rows (dicts keyed by attname) into the model's table; absent fields get their
    model default. The fastest way PostgreSQL takes rows, and no model instances are built."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    now = timezone.now()
    # auto_now fields have no default of their own: Django fills them in save(), not here.
    defaults = {
        f.attname: now
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        else f.get_default()
        for f in fields
    }
    quote = connection.ops.quote_name
    sql = "COPY {} ({}) FROM STDIN".format(
        quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    )
    # Values go as they are: the tables written here hold text, numbers, booleans, Decimal and
    # aware datetimes, all of which psycopg adapts itself.
    names = [f.attname for f in fields]
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([row[name] if name in row else defaults[name] for name in names])


# Names and titles people sort (branches, catalogue, events, volunteers, e-services, plans):
# Ukrainian alphabetical order where the server has ICU (core/migrations/0002).
UK_COLLATION = "uk_alphabet"


def uk_collation_is_alphabetical(using="default") -> bool:
    """Whether `UK_COLLATION` sorts А Ґ Є І Я (ICU) rather than by code point (a server
    built without ICU, such as the embedded PostgreSQL)."""

    with connections[using].cursor() as cursor:
        cursor.execute("SELECT collprovider FROM pg_collation WHERE collname = %s", [UK_COLLATION])
        row = cursor.fetchone()
    return bool(row) and row[0] == "i"


def words_match(query: str, *fields: str) -> Q:
    """Rows whose `fields` hold every word of `query` in some case form (core.text's
    `word_beginnings`): the portal's way to search short texts that have no search index,
    such as event titles and club names. An empty query matches everything."""
    from core.text import word_beginnings

    condition = Q()
    for options in word_beginnings(query):
        any_form = Q()
        for beginning in options:
            for field in fields:
                any_form |= Q(**{f"{field}__icontains": beginning})
        condition &= any_form
    return condition
