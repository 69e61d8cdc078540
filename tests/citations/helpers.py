"""Fixture files the importer tests share."""

from pathlib import Path

from citations.importers import parse_reference_file

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "imports"
EXTENSIONS = {"ris": "ris", "bibtex": "bib", "nbib": "nbib"}


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def parse_fixture(name: str):
    return parse_reference_file(fixture(name), name)
