"""an integration's use: at the server's clock, and none of the other row triggers, at no cost per row

Create Date: 2026-12-07 00:00:00

No schema change. On PostgreSQL, the integration's guards and its audit trigger on UPDATE are
now `UPDATE OF` every column but last_used_at (db/guards.py: create_trigger) instead of 0015's
WHEN, which built six jsonb values per row: recording the uses of a chunk of 1,000 tokens took
45 ms in the server with it, 12 ms without. And last_used_at, which the client set, is now the
server's now() (db/security.py: aesthetix_use_time), as every other recorded time.
"""

from aesthetix_tui.db.migration_steps import install_security

revision = '0016_use_by_column_list'
down_revision = '0015_use_skips_triggers'


def upgrade() -> None:
    """db/security.py's triggers at their newest: those of the integration's UPDATE as UPDATE OF
    lists, and the use's clock (aesthetix_use_time)."""
    install_security()


def downgrade() -> None:
    """Nothing to undo: 0015's upgrade installs the triggers at their newest too."""
