import io
import os
import shutil

import pytest
from django.core.management import call_command

from articles.roles import roles_ensure
from tests import factories

# Playwright drives Debian's Chromium; it never downloads a browser of its own.
CHROMIUM = os.environ.get("VETTED_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
PLAYWRIGHT_FIXTURES = {"page", "context", "browser", "browser_context_args"}


def pytest_collection_modifyitems(config, items):
    """Mark browser tests; leave out PostgreSQL-only tests when the suite runs on SQLite."""
    from django.db import connection

    on_postgres = connection.vendor == "postgresql"
    kept, dropped = [], []
    for item in items:
        uses_browser = PLAYWRIGHT_FIXTURES.intersection(getattr(item, "fixturenames", ()))
        if uses_browser or item.path.parent.name == "browser":
            item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("postgres") and not on_postgres:
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session", autouse=True)
def _sqlite_flush_lifts_append_only_triggers():
    """Transactional tests empty the tables between tests with ``flush``. On PostgreSQL that is
    TRUNCATE, which row triggers do not see; on SQLite it is DELETE, so the append-only
    triggers are lifted around it and put back, as articles.append_only explains."""
    from django.db import connection

    from articles.append_only import flush_statements

    if connection.vendor != "sqlite":
        yield
        return
    DatabaseOperations = type(connection.ops)
    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        return flush_statements(
            original(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        )

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium package.")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def roles(db):
    return roles_ensure()


@pytest.fixture
def audiences(db):
    return factories.default_audiences()


@pytest.fixture
def section_kinds(db):
    return factories.default_section_kinds()


@pytest.fixture
def author(roles):
    return factories.AuthorFactory()


@pytest.fixture
def editor(roles):
    return factories.EditorFactory()


@pytest.fixture
def board_member(roles):
    return factories.BoardMemberFactory()


@pytest.fixture
def other_board_member(roles):
    return factories.BoardMemberFactory()


@pytest.fixture
def demo_site(db):
    """The whole demo site, as `manage.py seed_demo --demo` makes it."""
    call_command("seed_demo", "--demo", stdout=io.StringIO())


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
