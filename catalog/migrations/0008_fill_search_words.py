from django.db import migrations

# The same words as catalog.indexing.search_documents_write(), for the records
# indexed before the vocabulary existed.
FILL = """
INSERT INTO catalog_searchword (word)
SELECT DISTINCT word
  FROM catalog_record, unnest(string_to_array(search_names, ' ')) AS word
 WHERE word <> '' AND length(word) <= 100
ON CONFLICT (word) DO NOTHING
"""


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0007_search_titles_and_vocabulary"),
    ]

    operations = [
        migrations.RunSQL(FILL, reverse_sql="DELETE FROM catalog_searchword"),
    ]
