"""What retires stored article pages: the signals articles.page_cache listens to.

Connected in ArticlesConfig.ready. Every handler retires pages now and again after the
commit (page_cache.article_changed_on_commit), so a reader never gets a page older than a
committed change, whichever door made it: a service, the admin, a task, the shell.
"""

from django.db import transaction

from articles.page_cache import article_changed_on_commit, site_changed_on_commit


def _article_saved(sender, instance, **kwargs):
    # Any committed save: status, displayed or live revision, review dates, disclaimer...
    article_changed_on_commit(instance.slug)


def _reviewers_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and hasattr(instance, "slug"):
        article_changed_on_commit(instance.slug)


def _site_saved(sender, **kwargs):
    site_changed_on_commit()


def _audience_saved(sender, **kwargs):
    from articles.audiences import audiences_forget

    audiences_forget()
    transaction.on_commit(audiences_forget)
    site_changed_on_commit()


def _user_saved(sender, update_fields=None, **kwargs):
    # Names show as authors' and reviewers' bylines; a sign-in only touches last_login.
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return
    site_changed_on_commit()


def _reference_saved(sender, instance, **kwargs):
    """A retraction (or its reversal) changes every page whose displayed revision cites it,
    pending ones included."""
    was_retracted = _was_retracted(instance)
    instance._page_cache_was_retracted = instance.retracted
    if not instance.retracted and not was_retracted:
        return
    from articles.models import Article

    slugs = Article.objects.filter(
        displayed_revision__snapshot__references__has_key=str(instance.pk)
    ).values_list("slug", flat=True)
    article_changed_on_commit(*slugs)


def _was_retracted(instance) -> bool:
    return bool(getattr(instance, "_page_cache_was_retracted", False))


def _reference_loaded(sender, instance, **kwargs):
    instance._page_cache_was_retracted = instance.__dict__.get("retracted", False)


def connect_signals() -> None:
    from django.contrib.auth import get_user_model
    from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

    from articles.models import Article, Audience, Disclaimer, Topic
    from citations.models import Reference

    post_save.connect(_article_saved, sender=Article, dispatch_uid="page_cache_article")
    post_delete.connect(_article_saved, sender=Article, dispatch_uid="page_cache_article_del")
    m2m_changed.connect(
        _reviewers_changed, sender=Article.reviewed_by.through, dispatch_uid="page_cache_rev"
    )
    for model in (Disclaimer, Topic):
        for signal in (post_save, post_delete):
            signal.connect(_site_saved, sender=model, dispatch_uid=f"page_cache_{model.__name__}")
    for signal in (post_save, post_delete):
        signal.connect(_audience_saved, sender=Audience, dispatch_uid="page_cache_audience")
        # Board members' names and credentials show on approved pages; reviews is a higher
        # layer, so it is named, not imported.
        signal.connect(_site_saved, sender="reviews.BoardMember", dispatch_uid="page_cache_bm")
    post_save.connect(_user_saved, sender=get_user_model(), dispatch_uid="page_cache_user")
    post_init.connect(_reference_loaded, sender=Reference, dispatch_uid="page_cache_ref_init")
    post_save.connect(_reference_saved, sender=Reference, dispatch_uid="page_cache_reference")
