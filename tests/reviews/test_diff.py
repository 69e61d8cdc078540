import pytest

from articles.models import Statement
from articles.snapshots import build_snapshot
from citations.models import Citation
from reviews.diff import revision_diff, wording_diff
from tests.factories import ReferenceFactory, StatementFactory, article_with_evidence

pytestmark = pytest.mark.django_db


def test_wording_diff_marks_removed_and_added_words_and_escapes():
    html = wording_diff("Drink <b>water</b> often.", "Drink salty <b>water</b> rarely.")
    assert "<ins>salty </ins>" in html
    assert "<del>often.</del>" in html and "<ins>rarely.</ins>" in html
    assert "&lt;b&gt;water&lt;/b&gt;" in html
    assert "<b>" not in html


def test_revision_diff_reports_changed_wording_citations_and_sources():
    original = ReferenceFactory(title="Original trial", authors=[{"family": "Layzer"}], year=1994)
    article = article_with_evidence(sections=1, statements=2, references=[original])
    old = build_snapshot(article)
    first, second = Statement.objects.filter(section__article=article).order_by("order")
    first.text = "Reworded statement."
    first.save()
    added = ReferenceFactory(
        title="Dehydration or electrolyte depletion?",
        authors=[{"family": "Schwellnus"}],
        year=2009,
    )
    Citation.objects.create(statement=second, reference=added, order=1)
    StatementFactory(section=first.section, order=5, text="A brand new claim.")

    diff = revision_diff(old, build_snapshot(article))

    assert diff.has_changes
    kinds = [change.kind for change in diff.sections[0].statements]
    assert kinds.count("changed") == 2 and kinds.count("added") == 1
    reworded = diff.sections[0].statements[0]
    assert "<ins>Reworded statement.</ins>" in reworded.wording
    cited = diff.sections[0].statements[1]
    assert cited.citations_added == ["Schwellnus. Dehydration or electrolyte depletion? 2009"]
    assert diff.references_added == ["Schwellnus. Dehydration or electrolyte depletion? 2009"]
    assert diff.references_removed == []


def test_revision_diff_of_identical_snapshots_has_no_changes():
    snapshot = build_snapshot(article_with_evidence())
    assert not revision_diff(snapshot, snapshot).has_changes


def test_revision_diff_without_live_revision_shows_everything_as_new():
    snapshot = build_snapshot(article_with_evidence(sections=2, statements=1))
    diff = revision_diff(None, snapshot)
    assert [section.kind for section in diff.sections] == ["added", "added"]
