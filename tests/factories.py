"""factory_boy factories for every model the tests build."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from articles.models import (
    Article,
    Audience,
    EvidenceSection,
    SectionKind,
    Statement,
    StatementVariant,
    Topic,
)
from articles.roles import AUTHORS, BOARD, EDITORS
from citations.models import Citation, Reference
from reviews.models import BoardMember

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        _join_group(self, create, extracted)


def _join_group(user, create: bool, role: str | None) -> None:
    if create and role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])


def _role_hook(default_role: str):
    """A post-generation `role` whose default is this role; `role=...` still overrides it."""
    return factory.PostGeneration(
        lambda user, create, extracted, **kwargs: _join_group(
            user, create, extracted or default_role
        )
    )


class AuthorFactory(UserFactory):
    role = _role_hook(AUTHORS)


class EditorFactory(UserFactory):
    is_staff = True
    role = _role_hook(EDITORS)


class BoardMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMember

    user = factory.SubFactory(UserFactory, is_staff=True, role=BOARD)
    credentials = "MD"
    specialty = "Sports medicine"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class AudienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audience
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"audience-{n}")
    name = factory.LazyAttribute(lambda a: a.slug.title())
    label = factory.LazyAttribute(lambda a: f"I'm {a.slug}")


class SectionKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SectionKind
        django_get_or_create = ["slug"]

    slug = "research"
    name = "Research"
    default_heading = "From the Research"


def default_audiences() -> dict[str, Audience]:
    return {
        "patient": AudienceFactory(
            slug="patient", label="I'm a patient or caregiver", is_default=True, order=0
        ),
        "student": AudienceFactory(slug="student", label="I'm a student", order=1),
        "professional": AudienceFactory(
            slug="professional",
            schema_type="Clinician",
            label="I'm a healthcare professional",
            order=2,
        ),
    }


def default_section_kinds() -> dict[str, SectionKind]:
    return {
        "guidelines": SectionKindFactory(
            slug="guidelines", name="Guidelines", default_heading="From the Guidelines", order=0
        ),
        "research": SectionKindFactory(
            slug="research", name="Research", default_heading="From the Research", order=1
        ),
    }


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Question number {n}?")
    slug = factory.Sequence(lambda n: f"question-{n}")
    topic = factory.SubFactory(TopicFactory)
    summary = "A short answer."

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            self.authors.add(*extracted)


class EvidenceSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvidenceSection

    article = factory.SubFactory(ArticleFactory)
    kind = factory.SubFactory(SectionKindFactory)
    heading = factory.LazyAttribute(lambda s: s.kind.default_heading)
    order = factory.Sequence(lambda n: n)


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    section = factory.SubFactory(EvidenceSectionFactory)
    style = Statement.Style.BULLET
    text = factory.Sequence(lambda n: f"Evidence statement {n}.")
    order = factory.Sequence(lambda n: n)


class StatementVariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatementVariant

    statement = factory.SubFactory(StatementFactory)
    audience = factory.SubFactory(AudienceFactory)
    text = "Variant wording."


class ReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reference

    kind = Reference.Kind.RANDOMIZED_TRIAL
    title = factory.Sequence(lambda n: f"A trial of intervention {n}")
    authors = factory.LazyFunction(lambda: [{"family": "Smith", "given": "J"}])
    journal = "Journal of Tests"
    journal_abbrev = "J Tests"
    year = 2020
    volume = "10"
    issue = "2"
    pages = "100-110"
    doi = factory.Sequence(lambda n: f"10.1000/test.{n}")


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    statement = factory.SubFactory(StatementFactory)
    reference = factory.SubFactory(ReferenceFactory)
    order = factory.Sequence(lambda n: n)


def article_with_evidence(
    *, sections: int = 2, statements: int = 3, references=None, authors=(), **article_kwargs
) -> Article:
    """An article whose every bullet cites one reference, rotating through `references`."""
    kinds = default_section_kinds()
    article = ArticleFactory(authors=list(authors), **article_kwargs)
    references = list(references) if references is not None else [ReferenceFactory()]
    index = 0
    for section_order in range(sections):
        kind = kinds["guidelines"] if section_order == 0 else kinds["research"]
        section = EvidenceSectionFactory(article=article, kind=kind, order=section_order)
        for order in range(statements):
            statement = StatementFactory(section=section, order=order)
            if references:
                CitationFactory(
                    statement=statement, reference=references[index % len(references)], order=0
                )
            index += 1
    return article


def _seen(article: Article) -> dict:
    revision = Article.objects.get(pk=article.pk).revision_under_review()
    if revision is None:
        return {"revision_number": 1, "content_hash": ""}
    return {"revision_number": revision.number, "content_hash": revision.content_hash}


def start_review_on_latest(*, article: Article, user):
    """article_start_review on the revision under review, as the admin's form names it."""
    from reviews.services import article_start_review

    return article_start_review(article=article, user=user, **_seen(article))


def record_on_latest(*, article: Article, user, decision: str, comment: str = ""):
    """review_record on the revision under review, as the admin's form names it."""
    from reviews.services import review_record

    return review_record(
        article=article, user=user, decision=decision, comment=comment, **_seen(article)
    )


def _author_of(article: Article):
    author = article.authors.first()
    if author is None:
        author = AuthorFactory()
        article.authors.add(author)
    return author


def article_submit_for_readers(article: Article) -> Article:
    """Submit the article through the workflow, so readers see it with the caution banner."""
    from articles.roles import roles_ensure
    from reviews.services import article_submit

    roles_ensure()
    article_submit(article=article, user=_author_of(article))
    return Article.objects.get(pk=article.pk)


def article_publish(article: Article, *, reviewers=(), reviewed_at=None, due=None) -> Article:
    """Walk the article through submit, start review and approval by real board members.

    ``reviewed_at`` and ``due`` then move the review dates, for tests about time.
    """
    from django.conf import settings

    article = article_submit_for_readers(article)
    members = list(reviewers)
    while len(members) < settings.VETTED_APPROVALS_REQUIRED:
        members.append(BoardMemberFactory())
    start_review_on_latest(article=article, user=members[0].user)
    for member in members:
        article.refresh_from_db()
        if article.status == Article.Status.APPROVED:
            break
        record_on_latest(article=article, user=member.user, decision="approve")
    dates = {}
    if reviewed_at is not None:
        dates["last_reviewed_at"] = reviewed_at
    if due is not None:
        dates["next_review_due"] = due
    elif reviewed_at is not None:
        from datetime import timedelta

        dates["next_review_due"] = reviewed_at + timedelta(days=365)
    if dates:
        Article.objects.filter(pk=article.pk).update(**dates)
    article = Article.objects.get(pk=article.pk)
    assert article.status == Article.Status.APPROVED, article.status
    return article


def reopen(article: Article) -> Article:
    """Open a new working copy of an approved article through the workflow (``revise``)."""
    from reviews.services import article_revise

    article_revise(article=article, user=_author_of(article))
    return Article.objects.get(pk=article.pk)
