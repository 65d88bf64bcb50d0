"""Apply the warehouse migrations (Alembic) to a database."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import URL

from newsetl.db import coerce_url, warehouse_url

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str | URL | None = None) -> Config:
    """An Alembic config pointing at this package's migrations and the given database."""
    resolved = coerce_url(url) if url is not None else warehouse_url()
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    # Alembic's ini interpolation treats % specially; escape it in passwords.
    cfg.set_main_option("sqlalchemy.url", resolved.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def upgrade(url: str | URL | None = None, revision: str = "head") -> None:
    """Bring the warehouse schema to ``revision``."""
    command.upgrade(alembic_config(url), revision)
