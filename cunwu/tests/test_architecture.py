"""The import rules of docs/architecture.md, checked over every module of every app (a new app included).

Pure: reads the source files with `ast`, needs no database. Test code and migrations are exempt
(fixtures build regions directly; migrations freeze the models as they were).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent  # cunwu/
PROVINCE_CODE = "53" + "0" * 10  # spelled in pieces so this file does not count as a spelling of it


def _app_code() -> list[Path]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or "migrations" in parts:
            continue
        out.append(path)
    return out


APP_CODE = _app_code()


def _name(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


def _app_of(path: Path) -> str | None:
    """`signs` for cunwu/signs/views.py; None for the project's own modules (cunwu/urls.py, …)."""
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else None


def _module_of(path: Path, root: Path = PACKAGE) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _imports(path: Path, root: Path = PACKAGE) -> Iterator[tuple[int, str, bool]]:
    """(line, imported module, under TYPE_CHECKING) for every import; `from x import y` yields x.y too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    guarded = _type_checking_lines(tree)
    module = _module_of(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, node.lineno in guarded
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            yield node.lineno, base, node.lineno in guarded
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}", node.lineno in guarded


def _violations(check: object) -> list[str]:
    found = []
    for path in APP_CODE:
        for line, module, guarded in _imports(path):
            problem = check(path, module, guarded)  # type: ignore[operator]
            if problem:
                found.append(f"{_name(path)}:{line}: {problem}")
    return sorted(set(found))


def test_app_code_is_found() -> None:
    # Guards the checks below against silently reading nothing.
    names = {_name(p) for p in APP_CODE}
    assert "cunwu/regions/selectors.py" in names
    assert "cunwu/seals/services.py" in names
    assert not any("/tests/" in n or "/migrations/" in n for n in names)


def test_only_regions_imports_regions_models() -> None:
    """Other apps read regions through regions.selectors / accounts.selectors: no region tables of their own."""

    def check(path: Path, module: str, guarded: bool) -> str | None:
        if module != "cunwu.regions.models" or guarded:
            return None
        if _app_of(path) == "regions" or path.name in ("models.py", "demo.py"):
            return None
        return "imports cunwu.regions.models (use cunwu.regions.selectors, .codes or .choices)"

    assert _violations(check) == []


@pytest.mark.parametrize("suffix", ["views.py", "api.py"])
def test_views_and_api_do_not_import_another_apps_models(suffix: str) -> None:
    """A page or endpoint calls selectors and services; another app's tables are never in reach."""

    def check(path: Path, module: str, guarded: bool) -> str | None:
        if not path.name.endswith(suffix) or guarded:
            return None
        parts = module.split(".")
        if len(parts) >= 3 and parts[0] == "cunwu" and parts[2] == "models" and parts[1] != _app_of(path):
            return f"imports {'.'.join(parts[:3])}"
        return None

    assert _violations(check) == []


def test_no_dynamic_imports() -> None:
    """Every dependency is a visible import; per-app plug-ins come from cunwu.plugins (autodiscovery)."""
    found = []
    for path in APP_CODE:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "importlib" for a in node.names):
                found.append(f"{_name(path)}:{node.lineno}: import importlib")
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "importlib":
                found.append(f"{_name(path)}:{node.lineno}: from importlib")
            elif isinstance(node, ast.Name) and node.id == "__import__":
                found.append(f"{_name(path)}:{node.lineno}: __import__")
    assert found == []


def test_region_tables_are_queried_only_in_regions() -> None:
    found = []
    for path in APP_CODE:
        if _app_of(path) == "regions" or path.name == "demo.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "Region.objects" in line or "Organisation.objects" in line:
                found.append(f"{_name(path)}:{n}")
    assert found == []


def test_province_code_is_spelled_once_in_regions() -> None:
    spelled = []
    for path in APP_CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value == PROVINCE_CODE:
                spelled.append(_name(path))
    assert spelled == ["cunwu/regions/codes.py"]


def test_the_checks_catch_what_they_forbid(tmp_path: Path) -> None:
    """The import reader resolves relative, aliased and TYPE_CHECKING imports as the checks assume."""
    app = tmp_path / "cunwu" / "newapp"
    app.mkdir(parents=True)
    views = app / "views.py"
    views.write_text(
        "from typing import TYPE_CHECKING\n"
        "from cunwu.regions import models\n"
        "from ..signs.models import Sign\n"
        "from .models import Thing\n"
        "if TYPE_CHECKING:\n"
        "    from cunwu.regions.models import Region\n",
        encoding="utf-8",
    )
    found = list(_imports(views, root=tmp_path / "cunwu"))
    assert (2, "cunwu.regions.models", False) in found
    assert (3, "cunwu.signs.models", False) in found
    assert (4, "cunwu.newapp.models", False) in found
    assert (6, "cunwu.regions.models", True) in found


def test_views_and_api_query_through_selectors() -> None:
    """A page or endpoint reads through its app's selectors (scoped there), never a manager of its own."""
    found = []
    for path in APP_CODE:
        if not (path.name.endswith("views.py") or path.name == "api.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "objects":
                found.append(f"{_name(path)}:{node.lineno}: {ast.unparse(node)}")
    assert found == []


def test_page_forms_clean_text_at_the_edge() -> None:
    """Every page form derives from `cunwu.textinput.TextForm`, so invisible, bidi and control characters
    are handled the same everywhere (issue 10); a form built on Django's bare Form would skip that."""
    found = []
    for path in APP_CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and _name(path) != "cunwu/textinput.py":
                bases = {ast.unparse(b) for b in node.bases}
                if bases & {"forms.Form", "forms.ModelForm", "Form", "ModelForm"}:
                    found.append(f"{_name(path)}:{node.lineno}: class {node.name}({', '.join(sorted(bases))})")
    assert found == []
