"""Alembic environment for the warehouse schemas (news, staging); never Airflow's metadata DB."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

# Serializes concurrent `migrate` calls (parallel test workers, several make targets).
MIGRATION_LOCK_ID = 7_310_002


def run_migrations_online() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    assert url is not None, "newsetl.migrate sets sqlalchemy.url"
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT pg_advisory_lock(:id)"), {"id": MIGRATION_LOCK_ID})
        conn.execute(sa.text("CREATE SCHEMA IF NOT EXISTS news"))
        conn.commit()
        try:
            context.configure(
                connection=conn,
                version_table="alembic_version",
                version_table_schema="news",
                transaction_per_migration=True,
            )
            with context.begin_transaction():
                context.run_migrations()
            conn.commit()
        finally:
            conn.execute(sa.text("SELECT pg_advisory_unlock(:id)"), {"id": MIGRATION_LOCK_ID})
            conn.commit()


run_migrations_online()
