"""Topic pages by keyset: the displayed revision's question and topic on the article row.

Both columns are nullable without a default, so SQLite adds them with ``ALTER TABLE ... ADD
COLUMN`` and never remakes ``articles_article`` (which would drop the indexes of 0007). They
are filled from each article's displayed revision, then one index holds a topic's articles in
the order readers see them: ``(listing_topic_id, listing_title, displayed_revision_id)``.
"""

import django.db.models.deletion
from django.db import migrations, models

FILL = """
    UPDATE articles_article SET
      listing_title = (SELECT title FROM articles_revision
                       WHERE articles_revision.id = articles_article.displayed_revision_id),
      listing_topic_id = (SELECT topic_id FROM articles_revision
                          WHERE articles_revision.id = articles_article.displayed_revision_id)
    WHERE displayed_revision_id IS NOT NULL
"""
INDEX = (
    "CREATE INDEX IF NOT EXISTS articles_article_listing"
    " ON articles_article (listing_topic_id, listing_title, displayed_revision_id)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_revision_correction"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="listing_title",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="The displayed revision's question, for public lists.",
                max_length=300,
                null=True,
                verbose_name="listed question",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="listing_topic",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                help_text="The displayed revision's topic, for public lists.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="articles.topic",
                verbose_name="listed topic",
            ),
        ),
        migrations.RunSQL(sql=FILL, reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(sql=INDEX, reverse_sql="DROP INDEX IF EXISTS articles_article_listing"),
    ]
