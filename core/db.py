"""Database chores that every app's bulk loads share."""

from django.db import connection, connections
from django.db.models import Q


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
