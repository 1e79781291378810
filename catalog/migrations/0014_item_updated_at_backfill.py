"""Data: copies' change time starts at their intake, and a record's change time is at least its
copies' (the OAI-PMH datestamp)."""

from django.db import migrations

FORWARD = """
UPDATE catalog_item SET updated_at = added_at;
UPDATE catalog_record r
   SET updated_at = i.latest
  FROM (SELECT record_id, max(updated_at) AS latest FROM catalog_item GROUP BY record_id) i
 WHERE i.record_id = r.id AND i.latest > r.updated_at;
"""


class Migration(migrations.Migration):
    dependencies = [("catalog", "0013_oai_datestamps_and_tombstones")]

    # Backwards there is nothing to undo: the column goes with 0013, records' times stay.
    operations = [migrations.RunSQL(FORWARD, migrations.RunSQL.noop)]
