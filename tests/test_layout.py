"""The shape of the code base: what imports what, and names that say one thing each."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNTIME = ROOT / "include" / "newsetl"
# Module-level functions that share a name by contract: each CLI's entry point, Alembic's revision hooks.
SHARED_BY_CONTRACT = {"main", "upgrade", "downgrade"}


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports (absolute names), at any depth of the file."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_the_pipeline_never_imports_the_tooling() -> None:
    """newsetl (what Airflow workers import) holds only the pipeline: the sample site, fault injection and the
    accuracy and fault reports live in newsetl_tools, which the pipeline never imports."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in imported_modules(path) if m.split(".")[0] == "newsetl_tools")
        for path in RUNTIME.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    assert not (RUNTIME / "sample_site").exists()


def test_the_dag_and_plugin_import_only_the_pipeline() -> None:
    for path in [*(ROOT / "dags").glob("*.py"), *(ROOT / "plugins").glob("*.py")]:
        assert not any(m.startswith("newsetl_tools") for m in imported_modules(path)), path


def test_extraction_machinery_knows_no_site() -> None:
    """Shared machinery (parsing/) never imports a site module; site modules build on it."""
    for path in (RUNTIME / "parsing").glob("*.py"):
        assert not any(m.startswith("newsetl.sites") for m in imported_modules(path)), path


def test_no_two_module_functions_share_a_name() -> None:
    """A name means one job: no two module-level functions of the project's code share one."""
    where: dict[str, list[str]] = defaultdict(list)
    folders = [ROOT / "include", ROOT / "dags", ROOT / "plugins", ROOT / "scripts"]
    for folder in folders:
        for path in folder.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not node.name.startswith("_"):
                    where[node.name].append(str(path.relative_to(ROOT)))
    shared = {name: files for name, files in where.items() if len(files) > 1 and name not in SHARED_BY_CONTRACT}
    assert shared == {}
