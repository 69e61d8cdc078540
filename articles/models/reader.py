"""What readers send and read beside the articles: the editorial policy and follow-ups."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class EditorialPolicy(models.Model):
    """The editorial policy page; the newest row is the one shown."""

    title = models.CharField(_("title"), max_length=200, default="Editorial policy")
    body = models.TextField(_("body"), help_text=_("Markdown."))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("editorial policy")
        verbose_name_plural = _("editorial policy")
        get_latest_by = "updated_at"

    def __str__(self):
        return self.title


class FollowUpQuestion(models.Model):
    """A reader's follow-up question, queued for editors to triage."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ANSWERED = "answered", _("Answered")
        CONVERTED = "converted", _("Turned into an article")
        DISMISSED = "dismissed", _("Dismissed")

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="follow_up_questions"
    )
    audience = models.ForeignKey(
        "articles.Audience", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    question = models.TextField(_("question"), validators=[MaxLengthValidator(1000)])
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW, db_index=True
    )
    client_hash = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("Salted hash of the sender's address, for rate limiting; never the address."),
    )
    converted_article = models.ForeignKey(
        "articles.Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("follow-up question")
        ordering = ["-created_at"]

    def __str__(self):
        return self.question[:80]
