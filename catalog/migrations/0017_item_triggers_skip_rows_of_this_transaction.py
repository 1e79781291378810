"""Schema: the copies' trigger leaves alone the records this same transaction has already
written with a time of its own (their row's xmin is this transaction, their `updated_at` is
not before the transaction began: `catalog.indexing.records_insert` stamps new records so).
They become visible together with the copies at commit, so the OAI datestamp is the same;
touching them again wrote each new record twice — a second version of the row and of every
index entry, the search document's two GIN indexes among them — in a MARC import or a demo
seed, where records and their copies come in one transaction. Any other record (written by
an earlier transaction, in a savepoint of this one, or given an older time) is touched as
before.
"""

from django.db import migrations

THIS_TRANSACTION = (
    "xmin::text::bigint = pg_current_xact_id()::text::bigint % 4294967296 "
    "AND updated_at >= transaction_timestamp()"
)

FUNCTION = """
CREATE OR REPLACE FUNCTION catalog_item_touch_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE catalog_record SET updated_at = greatest(updated_at, clock_timestamp())
         WHERE id IN (SELECT DISTINCT record_id FROM changed_new){skip};
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE catalog_record SET updated_at = greatest(updated_at, clock_timestamp())
         WHERE id IN (SELECT DISTINCT record_id FROM changed_old){skip};
    ELSE
        UPDATE catalog_record SET updated_at = greatest(updated_at, clock_timestamp())
         WHERE id IN (SELECT n.record_id FROM changed_new n JOIN changed_old o ON o.id = n.id
                       WHERE n IS DISTINCT FROM o
                      UNION
                      SELECT o.record_id FROM changed_new n JOIN changed_old o ON o.id = n.id
                       WHERE n.record_id <> o.record_id){skip};
    END IF;
    RETURN NULL;
END $$;
"""

FORWARD = FUNCTION.replace("{skip}", f"\n           AND NOT ({THIS_TRANSACTION})")
BACKWARD = FUNCTION.replace("{skip}", "")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0016_search_names")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
