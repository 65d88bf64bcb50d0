"""newsetl: Korean news pages to a clean Postgres warehouse (library; no Airflow imports)."""

__version__ = "0.1.0"
