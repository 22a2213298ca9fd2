"""The house rules of docs/architecture.md, checked on the source (issue #14).

- One rulebook: every ``may_*`` predicate is defined in ``ledger/access.py`` and nowhere else;
  views, templates (``{% may %}``), the API and the admin call it.
- Pure packages: ``zhenggai.notice`` and ``zhenggai.review`` import no Django, directly or
  through another module of the project.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import zhenggai

SRC = Path(zhenggai.__file__).parent
RULEBOOK = SRC / "ledger" / "access.py"
PURE = ("zhenggai.notice", "zhenggai.review")
# What the pure packages may import of the project besides themselves: Django-free helpers.
PURE_HELPERS = ("zhenggai.xlsxtext",)


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _may_definitions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        f"{path.relative_to(SRC)}:{node.lineno} {node.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("may_")
    ]


def test_every_may_predicate_lives_in_the_rulebook() -> None:
    outside = [d for path in _modules() if path != RULEBOOK for d in _may_definitions(path)]
    assert outside == [], "define may_* rules in ledger/access.py only"


def test_the_rulebook_holds_the_rules() -> None:
    """The scan above would pass on an empty tree; the rulebook must be where it looks."""
    assert len(_may_definitions(RULEBOOK)) >= 30


def _imports(path: Path, package: str) -> set[str]:
    """Every module the file imports, anywhere in it (also under ``TYPE_CHECKING`` or inside a
    function), relative imports resolved against ``package``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            found.add(module)
    return found


def _impure(module: str) -> bool:
    if module == "django" or module.startswith("django."):
        return True
    if module == "zhenggai" or not module.startswith("zhenggai."):
        return False
    allowed = PURE + PURE_HELPERS
    return not any(module == p or module.startswith(p + ".") for p in allowed)


def test_the_pure_packages_import_no_django() -> None:
    paths = [SRC / p.split(".")[1] for p in PURE] + [SRC / "xlsxtext.py"]
    files = [f for p in paths for f in (sorted(p.rglob("*.py")) if p.is_dir() else [p])]
    assert len(files) > 20
    bad = []
    for f in files:
        package = "zhenggai." + ".".join(f.relative_to(SRC).with_suffix("").parts[:-1])
        bad += [f"{f.relative_to(SRC)}: {m}" for m in sorted(_imports(f, package)) if _impure(m)]
    assert bad == []


def test_importing_the_pure_packages_loads_no_django() -> None:
    """The same on a fresh interpreter (the test session has Django set up already): what the
    scan could miss, e.g. a third-party module that pulls Django in."""
    modules = [
        f"zhenggai.{p.parent.name}.{p.stem}"
        if p.stem != "__init__"
        else f"zhenggai.{p.parent.name}"
        for name in PURE
        for p in sorted((SRC / name.split(".")[1]).glob("*.py"))
    ]
    code = (
        f"import sys\nfor m in {modules!r}: __import__(m)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]"
