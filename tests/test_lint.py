"""Static checks as tests: ruff (pyflakes, bugbear, Airflow AIR rules, S608 string-built SQL) and mypy."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_is_clean() -> None:
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "ruff"), "check", "."], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout[-4000:]


def test_mypy_is_clean() -> None:
    """include/ type-checks under pyproject.toml's [tool.mypy] (strict); the output is shown on failure."""
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "mypy"), "--config-file", "pyproject.toml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-8000:]


def test_ruff_format_is_clean() -> None:
    """The tree is formatted with ruff format (line length 120, pyproject.toml)."""
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "ruff"), "format", "--check", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout[-4000:]


def test_no_sql_is_built_from_values() -> None:
    """Statements live in include/newsetl/sql/*.sql with :bound parameters; no f-string SQL in the library
    (ruff S608 flags %- and +-built SQL)."""
    sql_start = re.compile(r"""f["']\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b""", re.I)
    offenders = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in (ROOT / "include").rglob("*.py")
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if sql_start.search(line)
    ]
    assert offenders == []
