"""A GIN full-text index on revision snapshots, built on PostgreSQL only.

The expression must stay identical to articles.search.SNAPSHOT_VECTOR_SQL so that the
planner uses the index. Other databases have no such index and search with a plain match.
"""

from django.db import migrations

INDEX_NAME = "articles_revision_search_gin"
CREATE_SQL = (
    f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON articles_revision USING gin (("
    "setweight(to_tsvector('english'::regconfig, coalesce(snapshot->>'title', '')), 'A') || "
    "jsonb_to_tsvector('english'::regconfig, snapshot, '[\"string\"]'::jsonb)))"
)
DROP_SQL = f"DROP INDEX IF EXISTS {INDEX_NAME}"


class PostgresOnlyRunSQL(migrations.RunSQL):
    """RunSQL that does nothing unless the database is PostgreSQL."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_initial"),
    ]

    operations = [
        PostgresOnlyRunSQL(sql=CREATE_SQL, reverse_sql=DROP_SQL),
    ]
