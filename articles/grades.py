"""GRADE-style certainty per statement, as the board recorded it on approval."""

from articles.models import Revision

# GRADE certainty, most to least certain; the page shows the least certain grade given.
CERTAINTY_ORDER = ("high", "moderate", "low", "very_low")
CERTAINTY_LABELS = {"high": "High", "moderate": "Moderate", "low": "Low", "very_low": "Very low"}


def statement_grades(revision: Revision | None) -> dict[int, dict]:
    """The approvers' certainty per statement of this revision, in one query.

    Reads through the reverse relations (reviews, grades), so articles need not import reviews.
    Where approvers differ, the least certain grade stands.
    """
    if revision is None:
        return {}
    rows = revision.reviews.filter(decision="approve", grades__grade__gt="").values_list(
        "grades__statement_id", "grades__grade"
    )
    grades: dict[int, str] = {}
    for statement_id, grade in rows:
        current = grades.get(statement_id)
        if current is None or CERTAINTY_ORDER.index(grade) > CERTAINTY_ORDER.index(current):
            grades[statement_id] = grade
    return {
        statement_id: {"slug": grade, "label": CERTAINTY_LABELS[grade]}
        for statement_id, grade in grades.items()
    }
