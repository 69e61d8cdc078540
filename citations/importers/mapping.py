"""Shared mapping from source conventions to Reference values: author names and kinds."""

import re

from citations.models import Reference

Kind = Reference.Kind

# Publication types and keywords, most specific first: a "systematic review" is also a review.
KIND_PHRASES = (
    ("meta-analysis", Kind.SYSTEMATIC_REVIEW),
    ("meta analysis", Kind.SYSTEMATIC_REVIEW),
    ("systematic review", Kind.SYSTEMATIC_REVIEW),
    ("practice guideline", Kind.GUIDELINE),
    ("consensus statement", Kind.GUIDELINE),
    ("position statement", Kind.GUIDELINE),
    ("guideline", Kind.GUIDELINE),
    ("randomized controlled trial", Kind.RANDOMIZED_TRIAL),
    ("randomised controlled trial", Kind.RANDOMIZED_TRIAL),
    ("randomized trial", Kind.RANDOMIZED_TRIAL),
    ("randomised trial", Kind.RANDOMIZED_TRIAL),
    ("controlled clinical trial", Kind.RANDOMIZED_TRIAL),
    ("observational study", Kind.OBSERVATIONAL),
    ("cohort study", Kind.OBSERVATIONAL),
    ("cohort studies", Kind.OBSERVATIONAL),
    ("case-control", Kind.OBSERVATIONAL),
    ("cross-sectional", Kind.OBSERVATIONAL),
    ("narrative review", Kind.NARRATIVE_REVIEW),
    ("review", Kind.NARRATIVE_REVIEW),
)
# In a title "review" alone is too loose ("a review of the evidence" may be systematic).
TITLE_PHRASES = tuple(pair for pair in KIND_PHRASES if pair[0] != "review")


def kind_from_phrases(labels, *, title: str = "", default: str = Kind.OTHER) -> str:
    """The Reference kind that publication types or keywords name, then the title, else default."""
    for haystack, phrases in (
        (" | ".join(str(label) for label in labels if label).casefold(), KIND_PHRASES),
        ((title or "").casefold(), TITLE_PHRASES),
    ):
        for phrase, kind in phrases:
            if phrase in haystack:
                return kind
    return default


INITIALS = re.compile(r"^[A-Z]{1,4}$")


def _initials(given: str) -> str:
    """'M. P.' → 'M P'; full names are kept as they are."""
    return " ".join(part for part in re.split(r"[.\s]+", given) if part)


def split_name(raw: str) -> dict | None:
    """One author name in any of the usual spellings, as {"family", "given"}.

    'Schwellnus, M. P.' and 'Schwellnus, Martin P.' (RIS/BibTeX), 'Schwellnus MP' (MEDLINE AU),
    'Martin P. Schwellnus' (BibTeX), and '{World Health Organization}' as a corporate author.
    """
    name = " ".join((raw or "").split()).strip(" ,;")
    if not name:
        return None
    if name.startswith("{") and name.endswith("}"):
        return {"family": name.strip("{} "), "given": ""}
    name = name.replace("{", "").replace("}", "")
    if "," in name:
        family, _, rest = name.partition(",")
        # "Smith, Jr., John" keeps the suffix with the family name.
        given = rest.strip()
        if "," in given:
            suffix, _, given = given.partition(",")
            family = f"{family.strip()} {suffix.strip()}"
        return {"family": family.strip(), "given": _initials(given.strip())}
    parts = name.split(" ")
    if len(parts) > 1 and INITIALS.match(parts[-1]):
        return {"family": " ".join(parts[:-1]), "given": parts[-1]}
    if len(parts) > 1:
        return {"family": parts[-1], "given": _initials(" ".join(parts[:-1]))}
    return {"family": name, "given": ""}


def authors_from(names) -> list[dict]:
    return [author for author in (split_name(str(name)) for name in names or ()) if author]
