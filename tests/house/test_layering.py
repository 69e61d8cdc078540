"""The house rules: dependencies run one way between the apps, and modules stay small.

The apps form layers; each may import from its own layer and from those below it, never
from a layer above. Imports inside functions count too: a deferred import is still a
dependency. The order is stated once, here, so a new app (the API) takes its place in it.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Top to bottom. Apps in one tuple share a layer.
LAYERS: list[tuple[str, ...]] = [
    ("demo", "ops"),  # the demo seed and operations: may use every app
    ("desk", "api", "accounts"),  # the doors: UI, HTTP, and one's own account
    ("reviews",),  # the board, its decisions, the workflow services, the board's admin
    ("articles",),  # content, revisions and snapshots, the public site
    ("citations",),  # the reference library: formatting, identifiers, import
]
LEVEL = {app: level for level, apps in enumerate(LAYERS) for app in apps}
MAX_MODULE_LINES = 400


def imported_apps(source: str) -> set[tuple[str, int]]:
    """(top-level package, line) of every import in the source, nested ones included."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update((alias.name.split(".")[0], node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add((node.module.split(".")[0], node.lineno))
    return found


def layering_violations(root: Path = ROOT) -> list[str]:
    violations = []
    for app, level in LEVEL.items():
        for path in sorted((root / app).rglob("*.py")) if (root / app).is_dir() else []:
            for target, line in sorted(imported_apps(path.read_text(encoding="utf-8"))):
                if target in LEVEL and LEVEL[target] < level:
                    violations.append(
                        f"{path.relative_to(root)}:{line} imports {target} (a layer above {app})"
                    )
    return sorted(violations)


def test_imports_run_down_the_layers():
    assert layering_violations() == []


def test_layering_check_catches_an_upward_import(tmp_path):
    """The check itself works: a function-level import from a higher layer is reported."""
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "models.py").write_text(
        "def approvers():\n    from reviews.models import Review\n    return Review\n"
    )
    (tmp_path / "citations").mkdir()
    (tmp_path / "citations" / "services.py").write_text("import articles.models\n")
    assert layering_violations(tmp_path) == [
        "articles/models.py:2 imports reviews (a layer above articles)",
        "citations/services.py:1 imports articles (a layer above citations)",
    ]


def test_every_local_app_has_a_layer():
    from django.conf import settings

    local = [app for app in settings.INSTALLED_APPS if (ROOT / app).is_dir()]
    assert [app for app in local if app not in LEVEL] == []


@pytest.mark.parametrize(
    "folder",
    [
        "articles",
        "citations",
        "reviews",
        "desk",
        "demo",
        "config",
        "tests",
        "benchmarks",
        "ops",
        "api",
    ],
)
def test_no_module_over_400_lines(folder):
    too_long = [
        f"{path.relative_to(ROOT)} ({count} lines)"
        for path in sorted((ROOT / folder).rglob("*.py"))
        if "migrations" not in path.parts
        and (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert too_long == []
