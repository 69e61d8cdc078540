"""Put back, on SQLite, what migration 0009's table remake dropped from articles_revision.

SQLite adds a NOT NULL column by remaking the table, which drops the table's triggers and any
index the model does not declare: the FTS5 triggers and the list indexes of 0007 and 0008.
The FTS5 rows themselves survive (they live in their own table, keyed by revision id). Every
statement is idempotent, so this is a no-op where nothing was dropped, and on PostgreSQL.
"""

from importlib import import_module

from django.db import migrations

scale = import_module("articles.migrations.0007_scale_indexes")
TOPIC_INDEX = (
    "CREATE INDEX IF NOT EXISTS articles_revision_topic_id ON articles_revision (topic_id, id)"
)
SQLITE_RESTORE = [
    *[sql for sql in scale.SQLITE_CREATE if sql.startswith("CREATE TRIGGER")],
    *[sql for sql in scale.CREATE_INDEXES if " ON articles_revision " in sql],
    TOPIC_INDEX,
]


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_revision_change_summary"),
    ]

    operations = [
        scale.VendorRunSQL("sqlite", sql=SQLITE_RESTORE, reverse_sql=[]),
    ]
