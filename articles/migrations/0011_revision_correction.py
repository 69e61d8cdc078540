"""Corrections: a revision may be flagged as correcting an error in the live text.

Both columns are written once, when the revision is inserted at submit. SQLite adds a NOT NULL
column by remaking the table, which drops its append-only and search triggers and the indexes
the model does not declare, so they are put back after each AddField (as in 0009 and 0010).
"""

from importlib import import_module

from django.db import migrations, models

from articles.append_only import SQLiteAppendOnlyKept

restore = import_module("articles.migrations.0010_search_triggers_after_remake")
scale = import_module("articles.migrations.0007_scale_indexes")


def restored():
    return scale.VendorRunSQL(
        "sqlite", sql=restore.SQLITE_RESTORE, reverse_sql=restore.SQLITE_RESTORE
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_search_triggers_after_remake"),
    ]

    operations = [
        # First and last, so the triggers come back after the remake both ways (idempotent).
        restored(),
        SQLiteAppendOnlyKept("articles_revision"),
        migrations.AddField(
            model_name="revision",
            name="is_correction",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "This revision corrects an error in the live text: flagged by the author "
                    "at submit, or set when it changes a statement whose cited source was "
                    "retracted."
                ),
                verbose_name="correction",
            ),
        ),
        migrations.AddField(
            model_name="revision",
            name="correction_note",
            field=models.TextField(
                blank=True,
                help_text="For readers: what was wrong and what was corrected.",
                max_length=1000,
                verbose_name="correction note",
            ),
        ),
        SQLiteAppendOnlyKept("articles_revision"),
        restored(),
    ]
