"""The fault drill's arithmetic (scripts/fault_drill.py): what counts as the outage, a 500,
and the recovery. The drill itself restarts a real server and runs with `make drill` only."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def drill():
    spec = importlib.util.spec_from_file_location("fault_drill", ROOT / "scripts/fault_drill.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ARTICLE = "/articles/cramps/"


def test_summary_counts_the_outage_and_times_the_recovery(drill):
    sample = drill.Sample
    samples = [
        sample(0.0, 0.01, "/", 200, True),  # before the outage
        sample(10.0, 10.05, "/", 503, False),  # during: fast 503s
        sample(11.0, 11.20, "/healthz", 503, False),
        sample(12.0, 12.01, ARTICLE, 200, True),  # served from the cache
        sample(13.1, 13.3, "/", 503, False),  # after: one more 503, then steady
        sample(13.4, 13.5, "/healthz", 200, True),
        sample(13.6, 13.7, "/", 200, True),
        sample(14.0, 14.1, ARTICLE, 500, False),
    ]
    result = drill.summarize(samples, 9.5, 13.0, pool=False, cached_path=ARTICLE)
    assert result["during_outage"] == {200: 1, 503: 2}
    assert result["outage_median_ms"] == pytest.approx(125.0)
    assert result["outage_max_ms"] == pytest.approx(200.0)
    assert result["errors_500"] == 1
    assert result["first_200_s"] == pytest.approx(0.5)
    assert result["steady_200_s"] == pytest.approx(0.5)


def test_summary_without_any_recovery_reports_none(drill):
    samples = [drill.Sample(10.0, 10.1, "/", 503, False), drill.Sample(14.0, 14.1, "/", 503, False)]
    result = drill.summarize(samples, 9.0, 13.0, pool=True, cached_path=ARTICLE)
    assert result["first_200_s"] is None
    assert result["steady_200_s"] == pytest.approx(1.1)


def test_healthz_counts_as_up_only_when_its_database_part_is_ok(drill):
    assert drill.database_ok("/healthz", 503, b'{"database": {"status": "ok"}}')
    assert not drill.database_ok("/healthz", 503, b'{"database": {"status": "error"}}')
    assert not drill.database_ok("/healthz", 0, b"")
    assert drill.database_ok("/", 200, b"")
    assert not drill.database_ok("/", 503, b"")
