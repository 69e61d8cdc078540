"""Reference library services: import preview and import, duplicate detection, create, update,
delete and retract."""

from pathlib import Path

import pytest
from concurrency.exceptions import RecordModifiedError
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from articles.models import Article
from citations.importers import ImportFileError
from citations.models import Reference
from citations.services import (
    imports,
    reference_create,
    reference_find_duplicate,
    reference_update,
    references_import,
    references_import_preview,
)
from tests.factories import ReferenceFactory, article_publish

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "imports"
EXTENSIONS = ["ris", "bib", "nbib"]

pytestmark = pytest.mark.django_db


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def import_fixture(name: str, user=None):
    return references_import(data=fixture(name), filename=name, user=user)


def make_live(article: Article) -> Article:
    """Walk the article through review to approval, so its revision is live."""
    return article_publish(article)


# Preview ------------------------------------------------------------------------------------


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_references_import_preview_good_file_is_all_new_and_saves_nothing(extension):
    preview = references_import_preview(
        data=fixture(f"good.{extension}"), filename=f"good.{extension}"
    )
    assert [record.index for record in preview.new] == [1, 2, 3]
    assert preview.existing == [] and preview.broken == []
    assert Reference.objects.count() == 0


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_references_import_preview_sorts_new_existing_and_broken(extension):
    # Layzer 1994 is already in the library, under its DOI.
    layzer = ReferenceFactory(
        title="Origin of fasciculations", doi="10.1002/MUS.880171102", year=1994
    )
    preview = references_import_preview(
        data=fixture(f"malformed_record.{extension}"), filename=f"malformed_record.{extension}"
    )
    assert [(record.index, reference) for record, reference in preview.existing] == [(1, layzer)]
    assert [record.index for record in preview.broken] == [2]
    assert [record.index for record in preview.new] == [3]
    assert preview.error_messages[0].startswith("Record 2")


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_references_import_preview_flags_repeats_within_the_file(extension):
    preview = references_import_preview(
        data=fixture(f"duplicates.{extension}"), filename=f"duplicates.{extension}"
    )
    assert [record.index for record in preview.new] == [1, 2]
    assert [(later.index, earlier.index) for later, earlier in preview.in_file_duplicates] == [
        (3, 2)
    ]
    assert any("repeats record 2" in notice for notice in preview.notices)


def test_references_import_preview_latin1_says_how_it_was_read():
    preview = references_import_preview(data=fixture("latin1.ris"), filename="latin1.ris")
    assert preview.encoding == "cp1252"
    assert "Latin-1" in preview.notices[0]
    assert preview.new[0].fields["authors"][0]["family"] == "Müller"


# Import -------------------------------------------------------------------------------------


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_references_import_good_file_creates_every_record(extension, author):
    created = import_fixture(f"good.{extension}", user=author)
    assert len(created) == 3
    assert Reference.objects.count() == 3
    sawka = Reference.objects.get(doi="10.1249/mss.0b013e31802ca597")
    assert sawka.kind == Reference.Kind.GUIDELINE
    assert sawka.year == 2007
    assert sawka.created_by == author
    assert all(reference.pk for reference in created)


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_references_import_malformed_record_creates_nothing(extension, author):
    ReferenceFactory()
    with pytest.raises(ValidationError) as excinfo:
        import_fixture(f"malformed_record.{extension}", user=author)
    assert excinfo.value.messages[0].startswith("Record 2")
    assert Reference.objects.count() == 1


def test_references_import_error_names_record_and_field(author):
    with pytest.raises(ValidationError) as excinfo:
        import_fixture("malformed_record.ris", user=author)
    assert excinfo.value.messages == [
        "Record 2 (“Muscle cramps”): DOI — “10.12/x” is not a valid DOI. "
        "A DOI looks like 10.1000/xyz123."
    ]
    assert Reference.objects.count() == 0


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_references_import_repeats_within_file_are_imported_once(extension, author):
    created = import_fixture(f"duplicates.{extension}", user=author)
    assert len(created) == 2
    assert Reference.objects.count() == 2
    assert Reference.objects.filter(title__iexact="muscle cramps").count() == 1


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_references_import_skips_references_already_in_the_library(extension, author):
    existing = ReferenceFactory(
        title="The origin of muscle fasciculations and cramps",
        year=1994,
        doi="10.1002/mus.880171102",
        journal="Kept as is",
    )
    created = import_fixture(f"duplicates.{extension}", user=author)
    assert [reference.title.rstrip(".").lower() for reference in created] == ["muscle cramps"]
    assert Reference.objects.count() == 2
    existing.refresh_from_db()
    assert existing.journal == "Kept as is"


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_references_import_same_file_twice_creates_nothing_the_second_time(extension, author):
    import_fixture(f"good.{extension}", user=author)
    assert import_fixture(f"good.{extension}", user=author) == []
    assert Reference.objects.count() == 3


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_references_import_latin1_keeps_accents(extension, author):
    (reference,) = import_fixture(f"latin1.{extension}", user=author)
    reference.refresh_from_db()
    assert reference.title == "Crampes musculaires liées à l’effort chez le coureur"
    assert reference.authors[0]["family"] == "Müller"


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_references_import_empty_file_refused_and_nothing_saved(extension, author):
    ReferenceFactory()
    with pytest.raises(ImportFileError, match="empty"):
        import_fixture(f"empty.{extension}", user=author)
    assert Reference.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x00\x01\x02garbage\xff\xfe", "could not be read as text"),
        (b"x" * (5 * 1024 * 1024 + 1), "larger than 5 MB"),
        (b"Dear editor, please add my paper.", "not in a format we can import"),
    ],
)
def test_references_import_bad_file_refused_and_nothing_saved(data, message, author):
    with pytest.raises(ImportFileError, match=message):
        references_import(data=data, filename="upload.txt", user=author)
    assert Reference.objects.count() == 0


def test_references_import_failure_on_a_late_record_rolls_back_the_earlier_ones(
    author, monkeypatch
):
    original_bulk_create = Reference.objects.bulk_create
    calls = []

    def insert_then_fail_third(objs, *args, **kwargs):
        calls.append([reference.title for reference in objs])
        if len(calls) == 3:
            raise IntegrityError("UNIQUE constraint failed: citations_reference.doi")
        return original_bulk_create(objs, *args, **kwargs)

    monkeypatch.setattr(imports, "WRITE_BATCH", 1)
    monkeypatch.setattr(Reference.objects, "bulk_create", insert_then_fail_third)
    with pytest.raises(ValidationError) as excinfo:
        import_fixture("good.ris", user=author)
    assert "Record 3" in excinfo.value.messages[0]
    assert len(calls) == 3
    assert Reference.objects.count() == 0


# Duplicate detection ------------------------------------------------------------------------


def test_reference_find_duplicate_prefers_doi_then_pmid_then_title_and_year():
    by_doi = ReferenceFactory(doi="10.1000/one", pmid="", title="Alpha", year=2001)
    by_pmid = ReferenceFactory(doi="", pmid="111", title="Beta", year=2002)
    by_title = ReferenceFactory(doi="", pmid="", title="Muscle cramps: a review", year=2005)
    everything = {
        "doi": "10.1000/one",
        "pmid": "111",
        "title": "Muscle cramps: a review",
        "year": 2005,
    }
    assert reference_find_duplicate(**everything) == by_doi
    assert reference_find_duplicate(**{**everything, "doi": "10.1000/other"}) == by_pmid
    assert reference_find_duplicate(**{**everything, "doi": "", "pmid": "999"}) == by_title


@pytest.mark.parametrize(
    "lookup",
    [
        {"doi": "https://doi.org/10.1000/ONE"},
        {"doi": "doi:10.1000/one"},
        {"pmid": "PMID: 0111"},
        {"title": "MUSCLE CRAMPS — A REVIEW.", "year": 2005},
        {"title": "Muscle crámps, a review", "year": 2005},
    ],
)
def test_reference_find_duplicate_matches_other_spellings(lookup):
    reference = ReferenceFactory(
        doi="10.1000/one", pmid="111", title="Muscle cramps: a review", year=2005
    )
    assert reference_find_duplicate(**lookup) == reference


@pytest.mark.parametrize(
    "lookup",
    [
        {"title": "Muscle cramps: a review", "year": 2006},
        {"title": "Muscle cramps: a review", "year": None},
        {"title": "Muscle cramps", "year": 2005},
        {"doi": "10.12/x"},
        {"pmid": "abc"},
        {},
    ],
)
def test_reference_find_duplicate_no_match(lookup):
    ReferenceFactory(doi="10.1000/one", pmid="111", title="Muscle cramps: a review", year=2005)
    assert reference_find_duplicate(**lookup) is None


def test_reference_find_duplicate_excludes_the_reference_being_edited():
    reference = ReferenceFactory(doi="10.1000/one", title="Cramps", year=2005)
    assert (
        reference_find_duplicate(
            doi="10.1000/one", title="Cramps", year=2005, exclude_pk=reference.pk
        )
        is None
    )


# Create and update --------------------------------------------------------------------------


def test_reference_create_normalizes_and_records_creator(author):
    reference = reference_create(
        user=author,
        title="Muscle cramps",
        doi="https://doi.org/10.1002/MUS.20341",
        pmid="PMID: 16127723",
        year=2005,
        authors=[{"family": "Miller", "given": "TM"}],
    )
    reference.refresh_from_db()
    assert reference.doi == "10.1002/mus.20341"
    assert reference.pmid == "16127723"
    assert reference.created_by == author


def test_reference_create_duplicate_doi_points_at_existing(author):
    existing = ReferenceFactory(doi="10.1002/mus.20341")
    with pytest.raises(ValidationError) as excinfo:
        reference_create(user=author, title="Muscle cramps", doi="doi:10.1002/MUS.20341")
    (error,) = excinfo.value.error_dict["doi"]
    assert error.code == "duplicate_reference"
    assert error.params["reference_pk"] == existing.pk
    assert "already has this DOI" in error.messages[0]
    assert Reference.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 501}, "title"),
        ({"title": "Cramps", "doi": "10.12/x"}, "doi"),
        ({"title": "Cramps", "pmid": "12a"}, "pmid"),
        ({"title": "Cramps", "url": "javascript:alert(1)"}, "url"),
        ({"title": "Cramps", "authors": [{"given": "J"}]}, "authors"),
    ],
)
def test_reference_create_invalid_field_refused_and_nothing_saved(fields, field, author):
    with pytest.raises(ValidationError) as excinfo:
        reference_create(user=author, **fields)
    assert field in excinfo.value.error_dict
    assert Reference.objects.count() == 0


def test_reference_create_implausible_year_refused(author):
    with pytest.raises(ValidationError) as excinfo:
        reference_create(user=author, title="Cramps", year=1200)
    assert "between 1500 and 2200" in str(excinfo.value)
    assert Reference.objects.count() == 0


def test_reference_create_unknown_field_is_a_programming_error(author):
    with pytest.raises(TypeError):
        reference_create(user=author, title="Cramps", created_at=None)


def test_reference_update_saves_and_bumps_version():
    reference = ReferenceFactory(title="Old title")
    version = reference.version
    reference_update(reference=reference, title="New title", doi="DOI:10.1000/NEW")
    reference.refresh_from_db()
    assert reference.title == "New title"
    assert reference.doi == "10.1000/new"
    assert reference.version != version


def test_reference_update_stale_version_raises_and_keeps_first_edit():
    reference = ReferenceFactory(title="Original")
    first = Reference.objects.get(pk=reference.pk)
    second = Reference.objects.get(pk=reference.pk)
    reference_update(reference=first, title="First editor")
    with pytest.raises(RecordModifiedError):
        reference_update(reference=second, title="Second editor")
    reference.refresh_from_db()
    assert reference.title == "First editor"


def test_reference_update_stale_version_from_form_raises():
    reference = ReferenceFactory(title="Original")
    stale_version = reference.version
    reference_update(reference=Reference.objects.get(pk=reference.pk), title="First editor")
    with pytest.raises(RecordModifiedError):
        reference_update(
            reference=Reference.objects.get(pk=reference.pk),
            title="Second editor",
            version=stale_version,
        )
    assert Reference.objects.get(pk=reference.pk).title == "First editor"


def test_reference_update_duplicate_of_another_reference_refused():
    other = ReferenceFactory(pmid="16127723")
    reference = ReferenceFactory(pmid="", title="Mine")
    with pytest.raises(ValidationError) as excinfo:
        reference_update(reference=reference, pmid="16127723")
    assert excinfo.value.error_dict["pmid"][0].params["reference_pk"] == other.pk
    assert Reference.objects.get(pk=reference.pk).pmid == ""


def test_reference_update_keeping_own_doi_is_not_a_duplicate():
    reference = ReferenceFactory(doi="10.1000/mine")
    reference_update(reference=reference, doi="https://doi.org/10.1000/MINE", title="Edited")
    assert Reference.objects.get(pk=reference.pk).title == "Edited"


def test_references_import_preview_queries_do_not_grow_with_records(
    django_assert_max_num_queries,
):
    for index in range(5):
        ReferenceFactory(title=f"Muscle cramps study number {index}", year=2005)
    records = "\n".join(
        f"TY  - JOUR\nTI  - Muscle cramps study number {index}\nPY  - 2005\n"
        f"DO  - 10.1000/bulk.{index}\nAN  - PMID: {index + 1}\nER  - "
        for index in range(300)
    )
    with django_assert_max_num_queries(5):
        preview = references_import_preview(data=records.encode(), filename="bulk.ris")
    assert len(preview.existing) == 5
    assert len(preview.new) == 295
