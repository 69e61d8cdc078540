"""The topics that have a public article: one short index walk per topic.

The home and search pages list topics by asking, per topic, for its first revision (in id
order) that a public article displays; without ``(topic_id, id)`` PostgreSQL walks every
revision in id order to find that first one.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_scale_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            sql="CREATE INDEX IF NOT EXISTS articles_revision_topic_id"
            " ON articles_revision (topic_id, id)",
            reverse_sql="DROP INDEX IF EXISTS articles_revision_topic_id",
        ),
    ]
