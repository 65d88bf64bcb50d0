"""staging.raw_page.body is compressed with lz4 instead of Postgres' default pglz.

Measured by `make bench` on a 5,000-article day of full-size pages (641 MiB as fetched, 131 KiB a page): pglz
stores 184 MiB and takes 8.2 s to compress the day, lz4 151 MiB in 1.7 s, uncompressed (STORAGE EXTERNAL)
670 MiB in 4.0 s; reading the day back is faster with lz4 too. lz4 is smaller and about five times cheaper to
write, so it pays on both counts (docs/performance.md).

Pages already stored keep their compression until they are written again (Postgres never recompresses old
values); a server built without lz4 keeps pglz (the column then stays as it was: the notice says so).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

UPGRADE = """
DO $$
BEGIN
    ALTER TABLE staging.raw_page ALTER COLUMN body SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'this server has no lz4: staging.raw_page keeps pglz';
END
$$;
COMMENT ON COLUMN staging.raw_page.body IS 'The raw bytes as downloaded (TOAST-compressed with lz4 where the server has it).';
"""

DOWNGRADE = """
ALTER TABLE staging.raw_page ALTER COLUMN body SET COMPRESSION default;
COMMENT ON COLUMN staging.raw_page.body IS 'The raw bytes as downloaded.';
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
