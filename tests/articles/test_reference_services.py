"""Deleting and retracting references that articles cite."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from articles.models import Article
from articles.services import reference_delete
from citations.models import Citation, Reference
from citations.services import (
    reference_mark_retracted,
    reference_update,
)
from reviews.services import article_revise
from tests.factories import ReferenceFactory, article_publish, article_with_evidence

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "imports"
EXTENSIONS = ["ris", "bib", "nbib"]

pytestmark = pytest.mark.django_db


def make_live(article: Article) -> Article:
    """Walk the article through review to approval, so its revision is live."""
    return article_publish(article)


# Delete and retract -------------------------------------------------------------------------


def test_reference_delete_unused_reference():
    reference = ReferenceFactory()
    reference_delete(reference=reference)
    assert not Reference.objects.filter(pk=reference.pk).exists()


def test_reference_delete_refused_when_working_copy_cites_it(author):
    reference = ReferenceFactory()
    article = article_with_evidence(
        references=[reference], authors=[author], title="Why do runners cramp?"
    )
    with pytest.raises(ValidationError) as excinfo:
        reference_delete(reference=reference)
    assert "“Why do runners cramp?”" in excinfo.value.messages[0]
    assert Reference.objects.filter(pk=reference.pk).exists()
    assert Citation.objects.filter(statement__section__article=article).exists()


def test_reference_delete_refused_when_live_revision_cites_it(author):
    reference = ReferenceFactory()
    article = article_with_evidence(
        references=[reference], authors=[author], title="Does salt prevent cramps?"
    )
    make_live(article)
    # The new working copy has since dropped the citation; readers still see it live.
    article_revise(article=article, user=author)
    Citation.objects.filter(reference=reference).delete()
    with pytest.raises(ValidationError) as excinfo:
        reference_delete(reference=reference)
    (message,) = excinfo.value.messages
    assert "published articles cite it" in message
    assert "“Does salt prevent cramps?”" in message
    assert Reference.objects.filter(pk=reference.pk).exists()


def test_reference_delete_allowed_once_nothing_cites_it(author):
    cited = ReferenceFactory()
    other = ReferenceFactory()
    article = article_with_evidence(references=[other], authors=[author])
    make_live(article)
    reference_delete(reference=cited)
    assert not Reference.objects.filter(pk=cited.pk).exists()


def test_reference_mark_retracted_records_reason_and_notice():
    reference = ReferenceFactory()
    reference_mark_retracted(
        reference=reference, reason="Data fabrication.", notice="https://doi.org/10.1000/RET.1"
    )
    reference.refresh_from_db()
    assert reference.retracted is True
    assert reference.retraction_note == "Data fabrication."
    assert reference.retraction_notice == "https://doi.org/10.1000/RET.1"


@pytest.mark.parametrize(
    ("reason", "notice", "field"),
    [
        ("", "10.1000/ret", "retraction_note"),
        ("Fraud.", "", "retraction_notice"),
        ("Fraud.", "not a doi", "retraction_notice"),
        ("x" * 501, "10.1000/ret", "retraction_note"),
    ],
)
def test_reference_mark_retracted_refuses_missing_or_bad_details(reason, notice, field):
    reference = ReferenceFactory()
    with pytest.raises(ValidationError) as excinfo:
        reference_mark_retracted(reference=reference, reason=reason, notice=notice)
    assert field in excinfo.value.message_dict
    assert Reference.objects.get(pk=reference.pk).retracted is False


def test_reference_update_cannot_retract():
    reference = ReferenceFactory()
    with pytest.raises(TypeError):
        reference_update(reference=reference, retracted=True)
    assert Reference.objects.get(pk=reference.pk).retracted is False
