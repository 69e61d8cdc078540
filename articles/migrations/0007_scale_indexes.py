"""Indexes for bounded public lists, and stored search documents on both databases.

Revisions are append-only, so each revision's search document is written once, by a trigger,
when the revision is inserted (bulk inserts included), into a table of its own:

- PostgreSQL: ``articles_revision_search``, a weighted ``tsvector`` (question A, summary B,
  statements C, reference titles and authors D) with a GIN index;
- SQLite: ``articles_revision_fts``, an FTS5 table with the same four columns.

Search joins these rows to ``Article.displayed_revision``, so what is found is always what
readers see. The expression index of migration 0003 is dropped: the stored vectors replace it.
"""

from django.db import migrations

# ---------------------------------------------------------------------------
# Indexes for the public lists, the desk and the admin (both databases).
# ---------------------------------------------------------------------------
INDEXES = {
    # Topic pages: one topic's revisions in title order.
    "articles_revision_topic_title": "articles_revision (topic_id, title, id)",
    # Home and the feed: the latest approved answers.
    "articles_article_reviewed": "articles_article (last_reviewed_at, id)",
    # Home's "under review" list, the desk dashboard and the admin's default order.
    "articles_article_updated": "articles_article (updated_at, id)",
}
CREATE_INDEXES = [f"CREATE INDEX IF NOT EXISTS {name} ON {on}" for name, on in INDEXES.items()]
DROP_INDEXES = [f"DROP INDEX IF EXISTS {name}" for name in INDEXES]

# ---------------------------------------------------------------------------
# PostgreSQL: stored weighted tsvector per revision.
# ---------------------------------------------------------------------------
PG_DOCUMENT_FUNCTION = r"""
CREATE OR REPLACE FUNCTION articles_revision_document(snapshot jsonb) RETURNS tsvector
LANGUAGE sql IMMUTABLE AS $$
SELECT
  setweight(to_tsvector('english'::regconfig, coalesce(snapshot->>'title', '')), 'A')
  || setweight(to_tsvector('english'::regconfig, coalesce(snapshot->>'summary', '')), 'B')
  || setweight(to_tsvector('english'::regconfig, coalesce((
       SELECT string_agg(statement->>'text', ' ')
       FROM jsonb_array_elements(CASE WHEN jsonb_typeof(snapshot->'sections') = 'array'
                                      THEN snapshot->'sections' ELSE '[]'::jsonb END) section,
            jsonb_array_elements(CASE WHEN jsonb_typeof(section->'statements') = 'array'
                                      THEN section->'statements' ELSE '[]'::jsonb END) statement
     ), '')), 'C')
  || setweight(to_tsvector('english'::regconfig, coalesce((
       SELECT string_agg(concat_ws(' ', reference->>'title', (
           SELECT string_agg(concat_ws(' ', author->>'given', author->>'family',
                                       author->>'literal'), ' ')
           FROM jsonb_array_elements(CASE WHEN jsonb_typeof(reference->'authors') = 'array'
                                          THEN reference->'authors' ELSE '[]'::jsonb END) author
         )), ' ')
       FROM jsonb_each(CASE WHEN jsonb_typeof(snapshot->'references') = 'object'
                            THEN snapshot->'references' ELSE '{}'::jsonb END) AS entry(key, reference)
     ), '')), 'D')
$$
"""
PG_CREATE = [
    PG_DOCUMENT_FUNCTION,
    # No foreign key: TRUNCATE of the revision table (test flushes) must not cascade here.
    "CREATE TABLE IF NOT EXISTS articles_revision_search ("
    " revision_id integer PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS articles_revision_search_document"
    " ON articles_revision_search USING gin (document)",
    """
    CREATE OR REPLACE FUNCTION articles_revision_search_insert() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO articles_revision_search (revision_id, document)
      VALUES (NEW.id, articles_revision_document(NEW.snapshot::jsonb))
      ON CONFLICT (revision_id) DO UPDATE SET document = EXCLUDED.document;
      RETURN NEW;
    END
    $$
    """,
    "DROP TRIGGER IF EXISTS articles_revision_search_insert ON articles_revision",
    "CREATE TRIGGER articles_revision_search_insert AFTER INSERT ON articles_revision"
    " FOR EACH ROW EXECUTE FUNCTION articles_revision_search_insert()",
    "INSERT INTO articles_revision_search (revision_id, document)"
    " SELECT id, articles_revision_document(snapshot::jsonb) FROM articles_revision"
    " ON CONFLICT (revision_id) DO NOTHING",
    "DROP INDEX IF EXISTS articles_revision_search_gin",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS articles_revision_search_insert ON articles_revision",
    "DROP FUNCTION IF EXISTS articles_revision_search_insert()",
    "DROP TABLE IF EXISTS articles_revision_search",
    "DROP FUNCTION IF EXISTS articles_revision_document(jsonb)",
]

# ---------------------------------------------------------------------------
# SQLite: an FTS5 table per revision, filled by triggers.
# ---------------------------------------------------------------------------
SQLITE_VALUES = """
  coalesce(json_extract({row}.snapshot, '$.title'), ''),
  coalesce(json_extract({row}.snapshot, '$.summary'), ''),
  coalesce((SELECT group_concat(value, ' ') FROM json_tree({row}.snapshot, '$.sections')
            WHERE key = 'text' AND type = 'text'), ''),
  coalesce((SELECT group_concat(value, ' ') FROM json_tree({row}.snapshot, '$.references')
            WHERE key IN ('title', 'given', 'family', 'literal') AND type = 'text'), '')
"""
SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_revision_fts USING fts5("
    "question, summary, statements, refs, tokenize = 'porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS articles_revision_fts_insert AFTER INSERT ON articles_revision"
    " BEGIN INSERT OR REPLACE INTO articles_revision_fts"
    " (rowid, question, summary, statements, refs) VALUES (new.id, "
    + SQLITE_VALUES.format(row="new")
    + "); END",
    # Revisions are never deleted, except by a deliberate flush (tests): keep no stale rows.
    "CREATE TRIGGER IF NOT EXISTS articles_revision_fts_delete AFTER DELETE ON articles_revision"
    " BEGIN DELETE FROM articles_revision_fts WHERE rowid = old.id; END",
    "INSERT OR REPLACE INTO articles_revision_fts (rowid, question, summary, statements, refs)"
    " SELECT id, " + SQLITE_VALUES.format(row="articles_revision") + " FROM articles_revision",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS articles_revision_fts_insert",
    "DROP TRIGGER IF EXISTS articles_revision_fts_delete",
    "DROP TABLE IF EXISTS articles_revision_fts",
]


class VendorRunSQL(migrations.RunSQL):
    """RunSQL for one database vendor only; a no-op on the others."""

    def __init__(self, vendor: str, sql, reverse_sql):
        self.vendor = vendor
        super().__init__(sql=sql, reverse_sql=reverse_sql)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, args, {"vendor": self.vendor, **kwargs}

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_disclaimers_and_help"),
    ]

    operations = [
        migrations.RunSQL(sql=CREATE_INDEXES, reverse_sql=DROP_INDEXES),
        VendorRunSQL("postgresql", sql=PG_CREATE, reverse_sql=PG_DROP),
        VendorRunSQL("sqlite", sql=SQLITE_CREATE, reverse_sql=SQLITE_DROP),
    ]
