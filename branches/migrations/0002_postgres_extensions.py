from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """Search (catalogue, branches) needs trigram matching and accent folding."""

    dependencies = [("branches", "0001_branch_network")]

    operations = [TrigramExtension(), UnaccentExtension()]
