"""Shared fixtures: a real Postgres test database and the real sample news site on 127.0.0.1.

The test database sits beside the warehouse on the same server: NEWS_TEST_WAREHOUSE_URL if set, else the
database of NEWS_WAREHOUSE_URL (or of the embedded cluster) with ``_test`` appended, created when missing.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from newsetl.db import coerce_url, empty_tables, sibling_database
from newsetl.db import engine as make_engine
from newsetl.migrate import upgrade

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


def _test_url() -> URL:
    if os.environ.get("NEWS_TEST_WAREHOUSE_URL"):
        return coerce_url(os.environ["NEWS_TEST_WAREHOUSE_URL"])
    if not os.environ.get("NEWS_WAREHOUSE_URL"):
        subprocess.run([str(ROOT / "scripts" / "pg.sh"), "start"], check=True)
    return sibling_database("_test")


@pytest.fixture(scope="session")
def test_db_url() -> URL:
    url = _test_url()
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def db(test_db_url: URL) -> Engine:
    return make_engine(test_db_url)


@pytest.fixture
def clean_db(db: Engine) -> Engine:
    """The test warehouse, emptied (schema kept)."""
    empty_tables(db)
    return db


@pytest.fixture
def migration_db(test_db_url: URL) -> Iterator[URL]:
    """An empty database of its own (beside the test database), dropped after the test: a migration test's
    downgrades must not touch the shared one."""
    url = sibling_database("_migration", test_db_url, fresh=True)
    yield url
    admin = sa.create_engine(test_db_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def sample_site() -> Iterator[str]:
    """The sample news site on a free port of 127.0.0.1; sources.yaml points at it through the env."""
    from newsetl_tools.sample_site import running

    with running() as base_url:
        previous = os.environ.get("NEWS_SAMPLE_SITE_URL")
        os.environ["NEWS_SAMPLE_SITE_URL"] = base_url
        yield base_url
        if previous is None:
            os.environ.pop("NEWS_SAMPLE_SITE_URL", None)
        else:
            os.environ["NEWS_SAMPLE_SITE_URL"] = previous
