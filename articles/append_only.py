"""Append-only tables on SQLite: triggers that refuse UPDATE and DELETE.

PostgreSQL gets the same rule from django-pgtrigger (``Meta.triggers`` on the models); SQLite
has no pgtrigger, so migrations create these triggers instead. ``manage.py flush`` empties
tables as a deliberate maintenance step, like TRUNCATE on PostgreSQL, which row triggers do
not see either: ``flush_statements`` wraps it for SQLite.
"""

from django.db import migrations

APPEND_ONLY_TABLES = (
    "articles_revision",
    "reviews_review",
    "django_fsm_log_statelog",
    "reviews_statementcomment",
    "reviews_statementgrade",
    "reviews_scheduledrelease",
)


def create_sql(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{operation.lower()} BEFORE {operation} "
        f"ON {table} BEGIN SELECT RAISE(ABORT, 'append-only: rows of {table} cannot be "
        f"{'changed' if operation == 'UPDATE' else 'deleted'}'); END"
        for operation in ("UPDATE", "DELETE")
    ]


def drop_sql(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_{operation.lower()}"
        for operation in ("UPDATE", "DELETE")
    ]


def flush_statements(statements: list[str]) -> list[str]:
    """Flush SQL for SQLite with the append-only triggers lifted around it and put back."""
    tables = [table for table in APPEND_ONLY_TABLES if any(table in s for s in statements)]
    before = [sql for table in tables for sql in drop_sql(table)]
    after = [sql for table in tables for sql in create_sql(table)]
    return [*before, *statements, *after] if statements else statements


class SQLiteAppendOnly(migrations.RunSQL):
    """Create the append-only triggers on SQLite; PostgreSQL uses pgtrigger instead."""

    def __init__(self, table: str):
        super().__init__(sql=create_sql(table), reverse_sql=drop_sql(table))

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "sqlite":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "sqlite":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class SQLiteAppendOnlyKept(SQLiteAppendOnly):
    """Put the triggers back after an operation that remakes the table on SQLite (AddField,
    AlterField): both ways, so rolling back keeps the table append-only too."""

    def __init__(self, table: str):
        super().__init__(table)
        self.reverse_sql = self.sql
