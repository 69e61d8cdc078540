"""The board's certainty grade beside a statement on the public page."""

from django import template

register = template.Library()


@register.filter
def grade_of(grades: dict, statement_id: int):
    """The grade recorded for this statement of the displayed revision, or None."""
    return (grades or {}).get(statement_id)
