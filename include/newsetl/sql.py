"""SQL kept in .sql files under sql/, one statement per file, loaded once as bound-parameter text."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import sqlalchemy as sa

SQL_DIR = Path(__file__).parent / "sql"


@cache
def statement(name: str) -> sa.TextClause:
    """The statement in sql/<name>.sql (values only ever through :bound parameters)."""
    return sa.text((SQL_DIR / f"{name}.sql").read_text(encoding="utf-8"))
