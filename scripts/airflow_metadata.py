"""Airflow's metadata database, derived in this one place for scripts/env.sh, scripts/setup.sh, airflow_api,
bench and the tests:

- AIRFLOW__DATABASE__SQL_ALCHEMY_CONN when set (yours, or the one env.sh exported from here);
- else, with NEWS_WAREHOUSE_URL (your own Postgres): ``<db>_airflow`` beside the warehouse, on the same server
  with the same login (created when missing by scripts/setup.sh);
- else the embedded cluster's ``airflow`` database (scripts/pg.sh creates it).

A stack or benchmark of its own gets ``<that db><suffix>`` beside it on the same server (airflow_uitest,
airflow_bench on the embedded cluster; news_airflow_uitest, news_airflow_bench beside a warehouse ``news``).

    python scripts/airflow_metadata.py           print the URL (env.sh exports it)
    python scripts/airflow_metadata.py --create  the same, after creating <db>_airflow when it is the one in use
                                                 and missing (scripts/setup.sh)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError

from newsetl.db import embedded_url, sibling_database, warehouse_url

CONN_ENV = "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"
SUFFIX = "_airflow"  # beside your own warehouse: <db>_airflow


def derived_url() -> URL:
    """Where the metadata goes when AIRFLOW__DATABASE__SQL_ALCHEMY_CONN is not set."""
    if os.environ.get("NEWS_WAREHOUSE_URL"):
        warehouse = warehouse_url()
        return warehouse.set(database=f"{warehouse.database}{SUFFIX}")
    return embedded_url("airflow")


def metadata_url(suffix: str = "", *, fresh: bool = False) -> URL:
    """Airflow's metadata database; with a suffix, ``<its db><suffix>`` on the same server, created when missing
    (dropped first when ``fresh``). A SQLite file you chose gets a sibling file (``airflow<suffix>.db``)."""
    configured = os.environ.get(CONN_ENV)
    base = make_url(configured) if configured else derived_url()
    if not suffix:
        return base
    if base.get_backend_name() == "sqlite":
        path = Path(base.database or "airflow.db")
        return base.set(database=str(path.with_name(f"{path.stem}{suffix}{path.suffix}")))
    ensure_database()  # the sibling is created through a connection to it
    return sibling_database(suffix, base, fresh=fresh).set(drivername=base.drivername)


def ensure_database() -> URL:
    """The metadata URL, after creating ``<db>_airflow`` beside your warehouse when that is the one in use and it is
    missing (needs CREATEDB; a database you named in AIRFLOW__DATABASE__SQL_ALCHEMY_CONN is yours to create)."""
    url = metadata_url()
    derived = derived_url()
    if (
        os.environ.get("NEWS_WAREHOUSE_URL")
        and url.get_backend_name() == "postgresql"
        and (url.host, url.port, url.database) == (derived.host, derived.port, derived.database)
    ):
        sibling_database(SUFFIX)
    return url


def main(argv: list[str]) -> int:
    if argv not in ([], ["--create"]):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        url = ensure_database() if argv else metadata_url()
    except (ValueError, SQLAlchemyError) as exc:  # not a PostgreSQL warehouse URL, a server that refuses…
        print(f"airflow_metadata: {exc}", file=sys.stderr)
        return 1
    print(url.render_as_string(hide_password=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
