"""How hard the patient wording is to read: guidance for authors, never a gate on submitting."""

from dataclasses import dataclass

import textstat
from django.conf import settings

from articles.search import markdown_plain

# Below this many words a grade says more about one long word than about the text.
MIN_WORDS = 20
DEFAULT_TARGET_GRADE = 8


@dataclass(frozen=True)
class ReadingLevel:
    """A Flesch–Kincaid grade against the editorial policy's target."""

    grade: float
    target: int
    words: int

    @property
    def measurable(self) -> bool:
        return self.words >= MIN_WORDS

    @property
    def above_target(self) -> bool:
        return self.measurable and self.grade > self.target

    @property
    def grade_label(self) -> str:
        return f"{max(self.grade, 0.0):.1f}"


def target_grade() -> int:
    """The policy's target school grade for patient wording (VETTED_READING_GRADE_TARGET)."""
    return int(getattr(settings, "VETTED_READING_GRADE_TARGET", DEFAULT_TARGET_GRADE))


def reading_level(*texts: str) -> ReadingLevel:
    """The Flesch–Kincaid grade of the texts read as one, Markdown stripped."""
    plain = " ".join(markdown_plain(text) for text in texts if text and text.strip())
    words = textstat.lexicon_count(plain) if plain else 0
    grade = textstat.flesch_kincaid_grade(plain) if words else 0.0
    return ReadingLevel(grade=float(grade), target=target_grade(), words=words)


def article_reading_level(article, sections) -> ReadingLevel:
    """The default (patient) wording of the summary and every statement but sub-headings."""
    texts = [article.summary]
    for section in sections:
        texts += [s.text for s in section.statements.all() if s.style != s.Style.SUBHEADING]
    return reading_level(*texts)
