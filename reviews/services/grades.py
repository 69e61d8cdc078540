"""Sign-off and GRADE certainty per statement, recorded with an approving member's Review."""

from django.conf import settings
from django.utils.translation import gettext as _

from articles.models import Revision
from reviews.models import Review, StatementGrade
from reviews.services.transitions import TransitionRefused


def statement_ids(revision: Revision) -> list[int]:
    """Every statement id of the revision, in reading order."""
    return [
        statement["id"]
        for section in revision.snapshot.get("sections", [])
        for statement in section.get("statements", [])
    ]


def grades_checked(*, revision: Revision, grades: dict | None) -> dict[int, str]:
    """The member's grade for each statement of the revision ("" for ungraded), or a refusal."""
    valid = set(StatementGrade.Certainty.values)
    given: dict[int, str] = {}
    for key, grade in (grades or {}).items():
        try:
            given[int(key)] = (grade or "").strip()
        except (TypeError, ValueError):
            given[-1] = ""
    ids = statement_ids(revision)
    unknown = set(given) - set(ids)
    bad = {grade for grade in given.values() if grade and grade not in valid}
    if unknown or bad:
        raise TransitionRefused(
            _("The grades name statements or certainties that revision %(number)s lacks.")
            % {"number": revision.number}
        )
    checked = {statement_id: given.get(statement_id, "") for statement_id in ids}
    missing = [statement_id for statement_id, grade in checked.items() if not grade]
    if missing and not settings.VETTED_UNGRADED_STATEMENTS_ALLOWED:
        raise TransitionRefused(
            _(
                "Every statement needs a certainty grade before approval: %(count)s of "
                "%(total)s in revision %(number)s have none. Nothing was recorded."
            )
            % {"count": len(missing), "total": len(ids), "number": revision.number}
        )
    return checked


def grades_record(*, review: Review, grades: dict[int, str]) -> None:
    """The member's sign-off on every statement, with its grade, as append-only rows."""
    rows = [
        StatementGrade(review=review, statement_id=statement_id, grade=grade)
        for statement_id, grade in grades.items()
    ]
    for row in rows:
        row.full_clean(exclude=["review"])
    StatementGrade.objects.bulk_create(rows)
