"""The collation `uk_alphabet` for names and titles people sort: А Б В Г Ґ Д Е Є Ж З И І Ї Й …

PostgreSQL's C/C.UTF-8 order puts Є, І, Ї before А and Ґ after Я. Where the server has ICU
(the machine's PostgreSQL 15, Debian's and the official images) the collation is ICU's
`uk-UA`; the embedded PostgreSQL 18 of `dev.py` is built without ICU (and the machine has no
uk_UA libc locale), so there it is the database's own collation under this name (C.UTF-8 there:
the same code-point order as before, and upper()/ILIKE still know Cyrillic — a copy of plain
"C" would not, and the admin's case-blind search would stop finding «Історія»). See
core.db.UK_COLLATION.
"""

from django.db import DatabaseError, migrations, transaction

NAME = "uk_alphabet"


def create(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = %s", [NAME])
        if cursor.fetchone():
            return
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute(f"CREATE COLLATION {NAME} (provider = icu, locale = 'uk-UA')")
        except DatabaseError:  # «ICU is not supported in this build»
            cursor.execute(
                "SELECT datlocprovider, datcollate, datctype FROM pg_database"
                " WHERE datname = current_database()"
            )
            provider, collate, ctype = cursor.fetchone()
            if provider == "b":  # PostgreSQL 17+ built-in provider; datlocale exists there
                cursor.execute(
                    "SELECT datlocale FROM pg_database WHERE datname = current_database()"
                )
                options = f"provider = builtin, locale = {_literal(cursor.fetchone()[0])}"
            else:
                options = f"provider = libc, lc_collate = {_literal(collate)}, "
                options += f"lc_ctype = {_literal(ctype)}"
            cursor.execute(f"CREATE COLLATION {NAME} ({options})")


def _literal(value):
    return "'" + str(value).replace("'", "''") + "'"


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP COLLATION IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_outgoing_mail")]

    operations = [migrations.RunPython(create, drop)]
