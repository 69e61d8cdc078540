"""What stops an article from being submitted: the submit guard, as a list of problems."""

from dataclasses import dataclass

from articles.models import Article, EvidenceSection, SectionKind


@dataclass(frozen=True)
class SubmissionProblem:
    """One reason the article cannot be submitted, with where it is, for a link to the spot."""

    code: str
    message: str
    section_id: int | None = None
    statement_id: int | None = None
    reference_id: int | None = None


def needs_citation(statement, section: EvidenceSection) -> bool:
    """Every evidence claim needs a source; red flags in a "When to get help" box do not.

    A help box tells readers when to act (chest pain with a cramp: call for help). That is
    safety-netting advice, owned by the board's review rather than by one study, and the best
    patient publishers print it uncited. Demanding a citation would push authors to leave it
    out. Citations there stay allowed and are shown; everything else still needs one.
    """
    return statement.needs_citation and section.kind.slug != SectionKind.HELP


def submission_problems(article: Article) -> list[SubmissionProblem]:
    """Every problem that blocks submission; an empty list means the content is complete."""
    problems: list[SubmissionProblem] = []
    sections = list(EvidenceSection.objects.filter(article=article).with_tree())
    if not article.title.strip():
        problems.append(SubmissionProblem("no_title", "The article has no question."))
    if not sections:
        problems.append(SubmissionProblem("no_sections", "Add at least one evidence section."))
    retracted_seen: set[int] = set()
    for section in sections:
        statements = list(section.statements.all())
        if not statements:
            problems.append(
                SubmissionProblem(
                    "empty_section",
                    f"Section “{section.heading}” has no statements.",
                    section_id=section.pk,
                )
            )
        for position, statement in enumerate(statements, start=1):
            citations = list(statement.citations.all())
            if needs_citation(statement, section) and not citations:
                problems.append(
                    SubmissionProblem(
                        "uncited",
                        f"Statement {position} in “{section.heading}” has no citation.",
                        section_id=section.pk,
                        statement_id=statement.pk,
                    )
                )
            for citation in citations:
                reference = citation.reference
                if reference.retracted and reference.pk not in retracted_seen:
                    retracted_seen.add(reference.pk)
                    problems.append(
                        SubmissionProblem(
                            "retracted",
                            f"Reference “{reference.title[:80]}” is retracted; "
                            f"remove it from statement {position} in “{section.heading}”.",
                            section_id=section.pk,
                            statement_id=statement.pk,
                            reference_id=reference.pk,
                        )
                    )
    return problems


def is_complete(article: Article) -> bool:
    """The submit guard: at least one section, every claim cited, nothing retracted."""
    return not submission_problems(article)
