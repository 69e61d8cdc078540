"""What changed between two revisions, in the article's own terms: sections, statements, sources.

The board reads this next to the revision under review, so it speaks of wording added and
removed and of citations, never of JSON keys.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.markdown import render_inline_markdown, render_markdown
from articles.selectors import number_references

# Rendered HTML, split into tags and words (each with its trailing space).
_HTML_TOKENS = re.compile(r"<[^>]+>|[^<\s]+\s*|\s+")


def _is_tag(token: str) -> bool:
    return token.startswith("<")


def wording_diff(old: str, new: str, *, markdown: bool = True, block: bool = False) -> SafeString:
    """Word-level diff of the text as readers see it: removed words in <del>, added in <ins>.

    Both sides are rendered from Markdown (sanitized) first, so the board reads bold as bold,
    links as links and (``block=True``, for the summary) lists as lists, never raw ``**``.
    The tags kept are the new text's own, so the result stays well formed; removed words lose
    their formatting, which a strike-through shows anyway.
    """
    render = escape
    if markdown:
        render = render_markdown if block else render_inline_markdown
    old_tokens = _HTML_TOKENS.findall(render(old or ""))
    new_tokens = _HTML_TOKENS.findall(render(new or ""))
    parts = []
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.extend(new_tokens[b1:b2])
            continue
        if op in ("delete", "replace"):
            removed = "".join(t for t in old_tokens[a1:a2] if not _is_tag(t))
            if removed:
                parts.append(f"<del>{removed}</del>")
        if op in ("insert", "replace"):
            for token in new_tokens[b1:b2]:
                plain = _is_tag(token) or token.isspace()
                parts.append(token if plain else f"<ins>{token}</ins>")
    # Every token comes from sanitized or escaped HTML.
    return mark_safe("".join(parts).replace("</ins><ins>", ""))  # noqa: S308


@dataclass
class StatementChange:
    kind: str  # added, removed, changed, unchanged
    style: str
    text: str
    wording: SafeString | None = None
    citations_added: list[str] = field(default_factory=list)
    citations_removed: list[str] = field(default_factory=list)
    variants_changed: list[str] = field(default_factory=list)
    statement_id: int | None = None
    # Where readers find it: its place in its section (1-based), in the revision shown (or,
    # for a removed statement, in the live one).
    position: int = 0
    # Every source it cites now (for a removed one: cited), numbered as on the page: "[2] …".
    citations: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"Statement {self.position}" if self.position else "Statement"

    @property
    def html(self) -> SafeString:
        """The statement's wording rendered as readers see it."""
        return mark_safe(render_inline_markdown(self.text))  # noqa: S308 - sanitized by nh3


@dataclass
class SectionChange:
    kind: str
    heading: str
    old_heading: str = ""
    statements: list[StatementChange] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return self.kind != "unchanged" or any(s.kind != "unchanged" for s in self.statements)


@dataclass
class RevisionDiff:
    title: SafeString | None
    summary: SafeString | None
    sections: list[SectionChange]
    references_added: list[str]
    references_removed: list[str]

    @property
    def has_changes(self) -> bool:
        return bool(
            self.title
            or self.summary
            or self.references_added
            or self.references_removed
            or any(section.has_changes for section in self.sections)
        )


def _source_label(snapshot: dict, key: str) -> str:
    entry = snapshot.get("references", {}).get(key, {})
    authors = entry.get("authors") or []
    first = authors[0].get("family", "") if authors and isinstance(authors[0], dict) else ""
    bits = [
        first + (" et al" if len(authors) > 1 else ""),
        entry.get("title", ""),
        str(entry.get("year") or ""),
    ]
    label = ""
    for bit in (bit.rstrip(".") for bit in bits if bit):
        # A title ending in "?" or "!" already closes its sentence.
        label += (" " if label.endswith(("?", "!")) else ". ") + bit if label else bit
    return label or f"Reference {key}"


def _statement_change(
    old: dict | None, new: dict | None, old_snap: dict, new_snap: dict
) -> StatementChange:
    if old is None:
        return StatementChange(
            "added",
            new["style"],
            new["text"],
            wording=wording_diff("", new["text"]),
            citations_added=[_source_label(new_snap, k) for k in new["citations"]],
        )
    if new is None:
        return StatementChange(
            "removed",
            old["style"],
            old["text"],
            wording=wording_diff(old["text"], ""),
            citations_removed=[_source_label(old_snap, k) for k in old["citations"]],
        )
    added = [k for k in new["citations"] if k not in old["citations"]]
    removed = [k for k in old["citations"] if k not in new["citations"]]
    variants = sorted(
        slug
        for slug in set(old.get("variants", {})) | set(new.get("variants", {}))
        if old.get("variants", {}).get(slug) != new.get("variants", {}).get(slug)
    )
    text_changed = old["text"] != new["text"] or old["style"] != new["style"]
    changed = text_changed or added or removed or variants
    return StatementChange(
        "changed" if changed else "unchanged",
        new["style"],
        new["text"],
        wording=wording_diff(old["text"], new["text"]) if text_changed else None,
        citations_added=[_source_label(new_snap, k) for k in added],
        citations_removed=[_source_label(old_snap, k) for k in removed],
        variants_changed=variants,
    )


def _cited(snapshot: dict, keys: list[str], numbers: dict[str, int]) -> list[str]:
    return [
        f"[{numbers[key]}] {_source_label(snapshot, key)}"
        if key in numbers
        else _source_label(snapshot, key)
        for key in keys
    ]


def _labelled(
    change: StatementChange, statement: dict, snap: dict, numbers: dict, position: int
) -> StatementChange:
    """Name the change by the statement it is about, with the sources that statement cites."""
    change.statement_id = statement.get("id")
    change.position = position
    change.citations = _cited(snap, statement.get("citations", []), numbers)
    return change


def _by_id(items: list[dict]) -> dict:
    return {item.get("id"): item for item in items}


def _positions(section: dict | None) -> dict:
    if section is None:
        return {}
    return {item.get("id"): place for place, item in enumerate(section["statements"], start=1)}


def revision_diff(old: dict | None, new: dict) -> RevisionDiff:
    """Compare a snapshot (normally the live revision's) with the one under review."""
    old = old or {"title": "", "summary": "", "sections": [], "references": {}}
    old_sections = _by_id(old["sections"])
    old_numbers, new_numbers = number_references(old), number_references(new)
    sections: list[SectionChange] = []
    seen: set = set()
    for new_section in new["sections"]:
        old_section = old_sections.get(new_section.get("id"))
        seen.add(new_section.get("id"))
        old_statements = _by_id(old_section["statements"]) if old_section else {}
        statements = []
        for position, statement in enumerate(new_section["statements"], start=1):
            change = _statement_change(
                old_statements.pop(statement.get("id"), None), statement, old, new
            )
            statements.append(_labelled(change, statement, new, new_numbers, position))
        old_positions = _positions(old_section)
        statements += [
            _labelled(
                _statement_change(gone, None, old, new),
                gone,
                old,
                old_numbers,
                old_positions.get(gone.get("id"), 0),
            )
            for gone in old_statements.values()
        ]
        if old_section is None:
            kind = "added"
        elif old_section["heading"] != new_section["heading"]:
            kind = "changed"
        else:
            kind = "unchanged"
        sections.append(
            SectionChange(
                kind,
                new_section["heading"],
                old_heading=old_section["heading"] if old_section else "",
                statements=statements,
            )
        )
    for section_id, old_section in old_sections.items():
        if section_id not in seen:
            sections.append(
                SectionChange(
                    "removed",
                    old_section["heading"],
                    statements=[
                        _labelled(
                            _statement_change(gone, None, old, new), gone, old, old_numbers, place
                        )
                        for place, gone in enumerate(old_section["statements"], start=1)
                    ],
                )
            )
    old_refs, new_refs = set(old.get("references", {})), set(new.get("references", {}))
    return RevisionDiff(
        title=(
            wording_diff(old["title"], new["title"], markdown=False)
            if old["title"] != new["title"]
            else None
        ),
        summary=(
            wording_diff(old["summary"], new["summary"], block=True)
            if old["summary"] != new["summary"]
            else None
        ),
        sections=sections,
        references_added=sorted(_source_label(new, k) for k in new_refs - old_refs),
        references_removed=sorted(_source_label(old, k) for k in old_refs - new_refs),
    )
