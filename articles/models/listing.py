"""What public lists show of an article, copied onto its row: the displayed revision's question
and topic.

Topic pages order one topic's public articles by question. Reading that order through the
``displayed_revision`` join makes PostgreSQL hash-join every article at 100,000 of them; two
columns on the article itself, with one index ``(listing_topic, listing_title,
displayed_revision)`` (migration 0012), let a page be a short walk of that index.

The copy is made in ``save()`` whenever ``displayed_revision`` changes, which every door goes
through (services, admin, desk, API); bulk loaders that skip ``save()`` set the columns
themselves (``demo/synthetic.py``). The source is an append-only revision, so a copy taken
once stays true until the article displays another revision.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleListing(models.Model):
    listing_title = models.CharField(
        _("listed question"),
        max_length=300,
        null=True,
        blank=True,
        editable=False,
        help_text=_("The displayed revision's question, for public lists."),
    )
    listing_topic = models.ForeignKey(
        "articles.Topic",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        db_index=False,
        verbose_name=_("listed topic"),
        help_text=_("The displayed revision's topic, for public lists."),
    )

    class Meta:
        abstract = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._listing_for = self.__dict__.get("displayed_revision_id")

    def save(self, *args, **kwargs):
        self.listing_sync()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "displayed_revision" in {
            name.removesuffix("_id") for name in update_fields
        }:
            kwargs["update_fields"] = {*update_fields, "listing_title", "listing_topic"}
        super().save(*args, **kwargs)

    def listing_sync(self) -> None:
        """Copy the displayed revision's question and topic, if it changed since the last copy."""
        if "displayed_revision_id" not in self.__dict__:
            return  # loaded without it (``only()``): the save does not write the listing either
        revision_id = self.displayed_revision_id
        if revision_id is None:
            self.listing_title, self.listing_topic_id = None, None
        elif revision_id != self._listing_for or not self.__dict__.get("listing_title"):
            cached = self._state.fields_cache.get("displayed_revision")
            if cached is not None and cached.pk == revision_id:
                self.listing_title, self.listing_topic_id = cached.title, cached.topic_id
            else:
                self.listing_title, self.listing_topic_id = (
                    self._meta.get_field("displayed_revision")
                    .related_model._base_manager.filter(pk=revision_id)
                    .values_list("title", "topic_id")
                    .get()
                )
        self._listing_for = revision_id
