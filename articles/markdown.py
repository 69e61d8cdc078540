"""Markdown to safe HTML: markdown-it-py renders, nh3 keeps only harmless markup."""

import nh3
from markdown_it import MarkdownIt

# Raw HTML is off: anything typed as a tag is shown as text, never interpreted.
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.disable(["image"])

BLOCK_TAGS = {"p", "ul", "ol", "li", "strong", "em", "code", "a", "br", "blockquote", "h3", "h4"}
INLINE_TAGS = {"strong", "em", "code", "a", "br"}
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> str:
    """Block-level Markdown (summary, policy, disclaimer) as sanitized HTML."""
    return nh3.clean(
        _md.render(text or ""),
        tags=BLOCK_TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener nofollow",
    )


def render_inline_markdown(text: str) -> str:
    """One statement's Markdown as inline sanitized HTML, without the wrapping paragraph."""
    return nh3.clean(
        _md.renderInline(text or ""),
        tags=INLINE_TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener nofollow",
    )
