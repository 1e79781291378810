"""The running number behind library card numbers, as a PostgreSQL sequence: concurrent
sign-ups never draw the same number. It starts after the highest card already issued."""

from django.db import migrations

CREATE = """
CREATE SEQUENCE IF NOT EXISTS accounts_reader_card_seq MINVALUE 1 MAXVALUE 999999999;
SELECT setval(
    'accounts_reader_card_seq',
    COALESCE((SELECT MAX(LEFT(card_number, 9)::bigint) FROM accounts_readerprofile), 0) + 1,
    false
);
"""
DROP = "DROP SEQUENCE IF EXISTS accounts_reader_card_seq;"


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_reader_registration"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP)]
