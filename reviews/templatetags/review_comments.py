"""Template helpers for the board's comment threads (desk and admin)."""

from django import template

from reviews.comments import anchor_text, comment_threads

register = template.Library()


@register.simple_tag
def threads_at(threads_map: dict, anchor: str, anchor_id: int) -> list:
    """The threads anchored to one statement or section."""
    return (threads_map or {}).get((anchor, anchor_id), [])


@register.inclusion_tag("reviews/_open_comments.html")
def open_comments(article, revision=None) -> dict:
    """The article's open comments, each with the text it is anchored to."""
    snapshot = revision.snapshot if revision is not None else {}
    threads = [thread for thread in comment_threads(article) if thread.is_open]
    return {
        "items": [(thread, anchor_text(snapshot, *thread.anchor_key)) for thread in threads],
    }
