"""Once granted the staff groups their permissions here; the roles now live in
accounts/roles.py, applied after every migrate. Kept so that the migration graph stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_marc_imports"), ("accounts", "0002_staff_groups")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
