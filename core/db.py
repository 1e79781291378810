"""Database chores that every app's bulk loads share."""

from django.db import connection


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
