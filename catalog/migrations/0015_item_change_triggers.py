"""Schema: triggers that keep copies' and records' change times in step with every change of a
copy, whoever makes it (a service saving only `status`, a bulk UPDATE of a withdrawal or an
import, the admin). One statement-level trigger per event, so that a bulk import of 10⁵
copies touches each record once rather than once per copy."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION catalog_item_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A statement that sets the time itself (Django's full save, auto_now) keeps it.
    IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at AND NEW IS DISTINCT FROM OLD THEN
        NEW.updated_at := clock_timestamp();
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER catalog_item_stamp BEFORE UPDATE ON catalog_item
    FOR EACH ROW EXECUTE FUNCTION catalog_item_stamp();

CREATE FUNCTION catalog_item_touch_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE catalog_record SET updated_at = greatest(updated_at, clock_timestamp())
         WHERE id IN (SELECT DISTINCT record_id FROM changed_new);
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE catalog_record SET updated_at = greatest(updated_at, clock_timestamp())
         WHERE id IN (SELECT DISTINCT record_id FROM changed_old);
    ELSE
        UPDATE catalog_record SET updated_at = greatest(updated_at, clock_timestamp())
         WHERE id IN (SELECT n.record_id FROM changed_new n JOIN changed_old o ON o.id = n.id
                       WHERE n IS DISTINCT FROM o
                      UNION
                      SELECT o.record_id FROM changed_new n JOIN changed_old o ON o.id = n.id
                       WHERE n.record_id <> o.record_id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER catalog_item_touch_record_ins AFTER INSERT ON catalog_item
    REFERENCING NEW TABLE AS changed_new
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_item_touch_record();
CREATE TRIGGER catalog_item_touch_record_upd AFTER UPDATE ON catalog_item
    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_item_touch_record();
CREATE TRIGGER catalog_item_touch_record_del AFTER DELETE ON catalog_item
    REFERENCING OLD TABLE AS changed_old
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_item_touch_record();
"""

BACKWARD = """
DROP TRIGGER catalog_item_touch_record_del ON catalog_item;
DROP TRIGGER catalog_item_touch_record_upd ON catalog_item;
DROP TRIGGER catalog_item_touch_record_ins ON catalog_item;
DROP FUNCTION catalog_item_touch_record();
DROP TRIGGER catalog_item_stamp ON catalog_item;
DROP FUNCTION catalog_item_stamp();
"""


class Migration(migrations.Migration):
    dependencies = [("catalog", "0014_item_updated_at_backfill")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
