import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.models import Audience, Disclaimer, Revision
from articles.services import revision_create
from citations.models import Citation, Reference
from reviews.models import Review
from tests.factories import (
    ArticleFactory,
    AudienceFactory,
    BoardMemberFactory,
    CitationFactory,
    EvidenceSectionFactory,
    ReferenceFactory,
    StatementFactory,
    article_with_evidence,
)

pytestmark = pytest.mark.django_db


def _violates(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_reference_duplicate_doi_refused_by_database():
    ReferenceFactory(doi="10.1000/dup")
    _violates(lambda: ReferenceFactory(doi="10.1000/dup"))


def test_reference_duplicate_doi_in_other_spelling_refused_with_message():
    ReferenceFactory(doi="10.1000/dup")
    reference = Reference(title="Other", doi="https://doi.org/10.1000/DUP")
    with pytest.raises(ValidationError) as excinfo:
        reference.full_clean()
    assert "A reference with this DOI already exists." in str(excinfo.value)
    assert Reference.objects.count() == 1


def test_reference_duplicate_pmid_refused_with_message():
    ReferenceFactory(pmid="17277604")
    reference = Reference(title="Other", pmid="PMID: 17277604")
    with pytest.raises(ValidationError) as excinfo:
        reference.full_clean()
    assert "A reference with this PMID already exists." in str(excinfo.value)


def test_reference_blank_doi_and_pmid_may_repeat():
    ReferenceFactory(doi="", pmid="")
    ReferenceFactory(doi="", pmid="")
    assert Reference.objects.filter(doi="").count() == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("doi", "10.12/nope", "not a valid DOI"), ("pmid", "12ab", "not a valid PubMed ID")],
)
def test_reference_malformed_identifier_refused_with_clear_message(field, value, message):
    reference = Reference(title="T", **{field: value})
    with pytest.raises(ValidationError) as excinfo:
        reference.full_clean()
    assert message in " ".join(excinfo.value.message_dict[field])
    assert not Reference.objects.exists()


def test_reference_clean_normalizes_identifiers():
    reference = Reference(title="T", doi="doi:10.1249/MSS.0B013E31802CA597", pmid="pmid 17277604")
    reference.full_clean()
    assert reference.doi == "10.1249/mss.0b013e31802ca597"
    assert reference.pmid == "17277604"


def test_reference_year_out_of_range_refused():
    _violates(lambda: ReferenceFactory(year=20))


def test_audience_only_one_default():
    AudienceFactory(slug="a", is_default=True)
    _violates(lambda: AudienceFactory(slug="b", is_default=True))
    assert Audience.objects.default().slug == "a"


def test_disclaimer_only_one_default():
    Disclaimer.objects.create(text="one")
    _violates(lambda: Disclaimer.objects.create(text="two"))


def test_section_order_unique_within_article():
    section = EvidenceSectionFactory(order=1)
    _violates(lambda: EvidenceSectionFactory(article=section.article, order=1))
    EvidenceSectionFactory(order=1)  # another article may reuse the position


def test_statement_order_unique_within_section():
    statement = StatementFactory(order=0)
    _violates(lambda: StatementFactory(section=statement.section, order=0))


def test_citation_same_reference_twice_in_statement_refused():
    citation = CitationFactory()
    _violates(
        lambda: Citation.objects.create(
            statement=citation.statement, reference=citation.reference, order=5
        )
    )


def test_cited_reference_cannot_be_deleted():
    citation = CitationFactory()
    with pytest.raises(Exception) as excinfo, transaction.atomic():
        citation.reference.delete()
    assert "protected" in str(excinfo.value).lower()


def test_revision_number_unique_per_article():
    article = article_with_evidence()
    revision_create(article=article)
    _violates(
        lambda: Revision.objects.create(
            article=article, number=1, snapshot={}, content_hash="0" * 64
        )
    )


def test_revision_is_immutable():
    revision = revision_create(article=article_with_evidence())
    revision.snapshot = {"tampered": True}
    with pytest.raises(ValidationError):
        revision.save()
    with pytest.raises(ValidationError):
        revision.delete()
    revision.refresh_from_db()
    assert "tampered" not in revision.snapshot


def test_review_one_decision_per_member_per_revision():
    revision = revision_create(article=article_with_evidence())
    member = BoardMemberFactory()
    Review.objects.create(revision=revision, member=member, decision="approve")
    _violates(
        lambda: Review.objects.create(
            revision=revision, member=member, decision="reject", comment="No."
        )
    )


def test_review_rejection_needs_a_comment():
    revision = revision_create(article=article_with_evidence())
    _violates(
        lambda: Review.objects.create(
            revision=revision, member=BoardMemberFactory(), decision="reject", comment=""
        )
    )


def test_article_status_is_protected():
    article = ArticleFactory()
    with pytest.raises(AttributeError):
        article.status = "approved"


def test_article_full_clean_leaves_status_to_the_state_machine():
    article = ArticleFactory.build(topic=ArticleFactory().topic, slug="fresh-question")
    article.full_clean()  # would re-assign the protected status field if it validated it
    article.save()
    article.full_clean()
    assert article.status == "draft"
