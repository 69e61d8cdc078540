from citations.formatting import format_reference
from tests.factories import ReferenceFactory

ITEM = {
    "id": "x",
    "type": "article-journal",
    "title": "Increased running speed and previous cramps predict cramping",
    "author": [{"family": "Schwellnus", "given": "MP"}, {"family": "Drew", "given": "N"}],
    "container-title-short": "Br J Sports Med",
    "issued": {"date-parts": [[2011]]},
    "volume": "45",
    "issue": "8",
    "page": "650-656",
    "DOI": "10.1136/bjsm.2010.078535",
}


def test_format_reference_follows_ama_order():
    assert format_reference(ITEM) == (
        "Schwellnus MP, Drew N. Increased running speed and previous cramps predict cramping. "
        "<i>Br J Sports Med</i>. 2011;45(8):650-656. doi:10.1136/bjsm.2010.078535"
    )


def test_format_reference_escapes_markup_in_the_data():
    item = {**ITEM, "title": '<script>alert("x")</script> & <b>bold</b>'}
    html = format_reference(item)
    assert "<script" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;" in html
    assert "&amp; " in html


def test_format_reference_escapes_author_names():
    item = {**ITEM, "author": [{"family": "<img src=x onerror=alert(1)>", "given": "A"}]}
    html = format_reference(item)
    assert "<img" not in html
    assert "&lt;img" in html


def test_format_reference_without_authors_does_not_repeat_the_title():
    item = {k: v for k, v in ITEM.items() if k != "author"}
    html = format_reference(item)
    assert html.count("Increased running speed") == 1


def test_format_reference_question_title_takes_no_extra_full_stop():
    html = format_reference({**ITEM, "title": "Dehydration or electrolyte depletion?"})
    assert "depletion? <i>" in html


def test_reference_to_csl_round_trips_through_formatting(db):
    reference = ReferenceFactory(title="A <em>trial</em>", doi="10.1000/abc")
    html = format_reference(reference.to_csl())
    assert "&lt;em&gt;trial&lt;/em&gt;" in html
    assert "doi:10.1000/abc" in html
